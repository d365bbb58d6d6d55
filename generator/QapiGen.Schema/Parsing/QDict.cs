using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// A JSON object as the schema language has it: keys in source order, values that are
/// <see cref="QDict"/>, <see cref="List{T}"/> of object, <see cref="string"/> or <see cref="bool"/>.
/// Order matters everywhere (members, branches, error messages), so this keeps insertion order.
/// </summary>
public sealed class QDict : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<string> _keys = new();
    private readonly Dictionary<string, object> _values = new();

    public int Count => _keys.Count;

    public IReadOnlyList<string> Keys => _keys;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [NotNullWhen(true)] out object? value)
        => _values.TryGetValue(key, out value);

    /// <summary>The value of <paramref name="key"/>, or null when absent (Python's <c>dict.get</c>).</summary>
    public object? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    public object this[string key]
    {
        get => _values[key];
        set
        {
            if (!_values.ContainsKey(key))
                _keys.Add(key);
            _values[key] = value;
        }
    }

    public bool Remove(string key)
    {
        if (!_values.Remove(key))
            return false;
        _keys.Remove(key);
        return true;
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        foreach (var key in _keys)
            yield return new KeyValuePair<string, object>(key, _values[key]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
