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
/// entries live in one list searched linearly; a hash index is added only for large objects.
/// </remarks>
public sealed class QDict : IEnumerable<KeyValuePair<string, object>>
{
    private const int IndexThreshold = 12;
    private readonly List<KeyValuePair<string, object>> _entries;
    private Dictionary<string, int>? _index;

    public QDict() => _entries = new(4);

    /// <summary>An object with room for <paramref name="capacity"/> keys (the checker's one-key long forms).</summary>
    internal QDict(int capacity) => _entries = new(capacity);

    public int Count => _entries.Count;

    /// <summary>The keys in insertion order (a live view).</summary>
    public IReadOnlyList<string> Keys => new KeyView(_entries);

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
            _entries.Add(new KeyValuePair<string, object>(key, value));
            if (_index != null)
            {
                _index[key] = _entries.Count - 1;
            }
            else if (_entries.Count > IndexThreshold)
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

        _entries.RemoveAt(i);
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

        for (int i = 0; i < _entries.Count; i++)
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
        _index = new Dictionary<string, int>(_entries.Count * 2, System.StringComparer.Ordinal);
        for (int i = 0; i < _entries.Count; i++)
        {
            _index[_entries[i].Key] = i;
        }
    }

    public List<KeyValuePair<string, object>>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<KeyValuePair<string, object>> IEnumerable<KeyValuePair<string, object>>.GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    private sealed class KeyView : IReadOnlyList<string>
    {
        private readonly List<KeyValuePair<string, object>> _entries;

        public KeyView(List<KeyValuePair<string, object>> entries) => _entries = entries;

        public string this[int index] => _entries[index].Key;

        public int Count => _entries.Count;

        public IEnumerator<string> GetEnumerator()
        {
            foreach (KeyValuePair<string, object> e in _entries)
            {
                yield return e.Key;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
