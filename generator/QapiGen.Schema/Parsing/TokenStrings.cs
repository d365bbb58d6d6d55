using System.Threading;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// The strings of a parse's string tokens, one instance per text: a schema says <c>'type'</c>,
/// <c>'data'</c>, <c>'str'</c> and its own type names thousands of times (QEMU's: 10,000 string
/// tokens, 3,200 distinct texts), and each repeat is looked up here instead of copied out of the
/// source again. Fresh memory is most of what a short-lived <c>qapigen</c> run pays for (docs/native.md).
/// </summary>
/// <remarks>
/// An open-addressing table looked up by a range of the source's bytes (string tokens are printable
/// ASCII, so a byte is a character), so a repeat allocates nothing
/// (netstandard2.0 has no span lookup in <c>Dictionary</c>). Only short texts are kept: names repeat,
/// long strings rarely do, and a bound on the length bounds the hashing.
/// </remarks>
internal sealed class TokenStrings
{
    /// <summary>Texts longer than this are copied each time, not kept.</summary>
    public const int MaxLength = 64;

    // The files of a parse are read on several threads at once (QapiSchemaParser.Parse), all into
    // this one table. A hit, nearly every token, reads the slots without a lock; a miss is looked up
    // again and added under the lock. A slot, once set, never changes, and a grown table is filled
    // before it is published, so a reader sees either the old table (a miss it then retries under
    // the lock) or the whole new one.
    private volatile string?[] _slots = new string?[1024];
    private int _count;
    private readonly object _lock = new();

    /// <summary>The string of the <paramref name="length"/> ASCII bytes of <paramref name="source"/> at <paramref name="start"/>.</summary>
    public string Get(byte[] source, int start, int length)
    {
        if (length > MaxLength)
        {
            return Utf8Text.GetString(source, start, length);
        }

        int hash = Hash(source, start, length);
        string? found = Find(_slots, hash, source, start, length, out _);
        if (found != null)
        {
            return found;
        }

        lock (_lock)
        {
            string?[] slots = _slots;
            found = Find(slots, hash, source, start, length, out int free);
            if (found != null)
            {
                return found;
            }

            string s = Utf8Text.GetString(source, start, length);
            Volatile.Write(ref slots[free], s);
            // At most half full, so probes stay short.
            if (++_count * 2 > slots.Length)
            {
                _slots = Grown(slots);
            }

            return s;
        }
    }

    // The string of the text in slots, or null and the free slot where it would go.
    private static string? Find(string?[] slots, int hash, byte[] source, int start, int length, out int free)
    {
        int mask = slots.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            string? s = Volatile.Read(ref slots[i]);
            if (s == null)
            {
                free = i;
                return null;
            }
            if (s.Length == length && Equal(s, source, start))
            {
                free = -1;
                return s;
            }
        }
    }

    private static bool Equal(string s, byte[] source, int start)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != source[start + i])
            {
                return false;
            }
        }
        return true;
    }

    private static string?[] Grown(string?[] old)
    {
        var slots = new string?[old.Length * 2];
        int mask = slots.Length - 1;
        foreach (string? s in old)
        {
            if (s == null)
            {
                continue;
            }

            int i = Hash(s) & mask;
            while (slots[i] != null)
            {
                i = (i + 1) & mask;
            }

            slots[i] = s;
        }
        return slots;
    }

    // FNV-1a over the bytes (the characters of a kept string: the same values), kept non-negative for masking.
    private static int Hash(byte[] text, int start, int length)
    {
        uint hash = 2166136261;
        for (int i = start; i < start + length; i++)
        {
            hash = (hash ^ text[i]) * 16777619;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    private static int Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
