namespace QapiGen.Schema.Parsing;

/// <summary>
/// The strings of a parse's string tokens, one instance per text: a schema says <c>'type'</c>,
/// <c>'data'</c>, <c>'str'</c> and its own type names thousands of times (QEMU's: 10,000 string
/// tokens, 3,200 distinct texts), and each repeat is looked up here instead of copied out of the
/// source again. Fresh memory is most of what a short-lived <c>qapigen</c> run pays for (docs/native.md).
/// </summary>
/// <remarks>
/// An open-addressing table looked up by a range of the source text, so a repeat allocates nothing
/// (netstandard2.0 has no span lookup in <c>Dictionary</c>). Only short texts are kept: names repeat,
/// long strings rarely do, and a bound on the length bounds the hashing.
/// </remarks>
internal sealed class TokenStrings
{
    /// <summary>Texts longer than this are copied each time, not kept.</summary>
    public const int MaxLength = 64;

    private string?[] _slots = new string?[1024];
    private int _count;

    /// <summary>The string of <paramref name="length"/> characters of <paramref name="source"/> at <paramref name="start"/>.</summary>
    public string Get(string source, int start, int length)
    {
        if (length > MaxLength)
        {
            return source.Substring(start, length);
        }

        int mask = _slots.Length - 1;
        for (int i = Hash(source, start, length) & mask; ; i = (i + 1) & mask)
        {
            string? s = _slots[i];
            if (s == null)
            {
                s = source.Substring(start, length);
                _slots[i] = s;
                // At most half full, so probes stay short.
                if (++_count * 2 > _slots.Length)
                {
                    Grow();
                }

                return s;
            }
            if (s.Length == length && string.CompareOrdinal(s, 0, source, start, length) == 0)
            {
                return s;
            }
        }
    }

    private void Grow()
    {
        string?[] old = _slots;
        _slots = new string?[old.Length * 2];
        int mask = _slots.Length - 1;
        foreach (string? s in old)
        {
            if (s == null)
            {
                continue;
            }

            int i = Hash(s, 0, s.Length) & mask;
            while (_slots[i] != null)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = s;
        }
    }

    // FNV-1a over the characters, kept non-negative for masking.
    private static int Hash(string text, int start, int length)
    {
        uint hash = 2166136261;
        for (int i = start; i < start + length; i++)
        {
            hash = (hash ^ text[i]) * 16777619;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
