using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// A JSON object as the schema language has it: keys in source order, values that are
/// <see cref="QDict"/>, <see cref="List{T}"/> of object, <see cref="string"/> or <see cref="bool"/>.
/// Order matters everywhere (members, branches, error messages), so this keeps insertion order.
/// </summary>
/// <remarks>
/// Most objects in a schema have one to five keys (every member becomes <c>{'type': ...}</c>), so
/// entries live in one array searched linearly; a hash index is added only for large objects. The
/// parser hands in its objects' entries as arrays of their exact size: QEMU's schema has 20,000
/// objects, and a list per object with room for four was a tenth of what parsing it allocated.
/// </remarks>
public sealed class QDict : IEnumerable<KeyValuePair<string, object>>
{
    private const int IndexThreshold = 12;
    private static readonly KeyValuePair<string, object>[] NoEntries = new KeyValuePair<string, object>[0];
    private KeyValuePair<string, object>[] _entries;
    private int _count;
    private Dictionary<string, int>? _index;

    public QDict() => _entries = new KeyValuePair<string, object>[4];

    /// <summary>An object with room for <paramref name="capacity"/> keys (the checker's one-key long forms).</summary>
    internal QDict(int capacity) => _entries = capacity == 0 ? NoEntries : new KeyValuePair<string, object>[capacity];

    /// <summary>An object of <paramref name="entries"/>, whose keys are distinct; the array becomes the object's.</summary>
    internal QDict(KeyValuePair<string, object>[] entries)
    {
        _entries = entries;
        _count = entries.Length;
        if (_count > IndexThreshold)
        {
            BuildIndex();
        }
    }

    public int Count => _count;

    /// <summary>The keys in insertion order (a live view).</summary>
    public IReadOnlyList<string> Keys => new KeyView(this);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [NotNullWhen(true)] out object? value)
    {
        int i = IndexOf(key);
        value = i >= 0 ? _entries[i].Value : null;
        return i >= 0;
    }

    /// <summary>The value of <paramref name="key"/>, or null when absent (Python's <c>dict.get</c>).</summary>
    public object? Get(string key)
    {
        int i = IndexOf(key);
        return i >= 0 ? _entries[i].Value : null;
    }

    public object this[string key]
    {
        get
        {
            int i = IndexOf(key);
            return i >= 0 ? _entries[i].Value : throw new KeyNotFoundException(key);
        }
        set
        {
            int i = IndexOf(key);
            if (i >= 0)
            {
                _entries[i] = new KeyValuePair<string, object>(key, value);
                return;
            }
            if (_count == _entries.Length)
            {
                System.Array.Resize(ref _entries, System.Math.Max(4, _count * 2));
            }

            _entries[_count++] = new KeyValuePair<string, object>(key, value);
            if (_index != null)
            {
                _index[key] = _count - 1;
            }
            else if (_count > IndexThreshold)
            {
                BuildIndex();
            }
        }
    }

    public bool Remove(string key)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }

        System.Array.Copy(_entries, i + 1, _entries, i, _count - i - 1);
        _entries[--_count] = default;
        if (_index != null)
        {
            BuildIndex();
        }

        return true;
    }

    private int IndexOf(string key)
    {
        if (_index != null)
        {
            return _index.TryGetValue(key, out int i) ? i : -1;
        }

        for (int i = 0; i < _count; i++)
        {
            if (string.Equals(_entries[i].Key, key, System.StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private void BuildIndex()
    {
        _index = new Dictionary<string, int>(_count * 2, System.StringComparer.Ordinal);
        for (int i = 0; i < _count; i++)
        {
            _index[_entries[i].Key] = i;
        }
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, object>> IEnumerable<KeyValuePair<string, object>>.GetEnumerator() => new Enumerator(this);

    IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

    /// <summary>The entries in order (a struct, so <c>foreach</c> allocates nothing).</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, object>>
    {
        private readonly QDict _dict;
        private int _i;

        internal Enumerator(QDict dict)
        {
            _dict = dict;
            _i = -1;
        }

        public KeyValuePair<string, object> Current => _dict._entries[_i];

        object IEnumerator.Current => Current;

        public bool MoveNext() => ++_i < _dict._count;

        public void Reset() => _i = -1;

        public void Dispose() { }
    }

    private sealed class KeyView : IReadOnlyList<string>
    {
        private readonly QDict _dict;

        public KeyView(QDict dict) => _dict = dict;

        public string this[int index] => index < _dict._count ? _dict._entries[index].Key : throw new System.ArgumentOutOfRangeException(nameof(index));

        public int Count => _dict._count;

        public IEnumerator<string> GetEnumerator()
        {
            for (int i = 0; i < _dict._count; i++)
            {
                yield return _dict._entries[i].Key;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
