using System;
using System.Collections.Generic;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// The member (or feature) descriptions of one doc comment, in the order written, found by name.
/// A comment describes a handful of members: they are looked up in a list, and a hash index is made
/// only for long ones. QEMU's schema has a thousand doc comments; two dictionaries and two order
/// lists each, made whether or not the comment describes anything, were a fifth of what parsing its
/// docs allocated (docs/native.md).
/// </summary>
internal sealed class ArgSections
{
    private const int IndexThreshold = 8;
    private readonly List<QapiDoc.ArgSection> _list = new(4);
    private Dictionary<string, QapiDoc.ArgSection>? _index;

    public int Count => _list.Count;

    public QapiDoc.ArgSection this[int index] => _list[index];

    /// <summary>The description named <paramref name="name"/>, or null.</summary>
    public QapiDoc.ArgSection? Find(string name)
    {
        if (_index != null)
        {
            return _index.TryGetValue(name, out QapiDoc.ArgSection? found) ? found : null;
        }

        foreach (QapiDoc.ArgSection section in _list)
        {
            if (string.Equals(section.Name, name, StringComparison.Ordinal))
            {
                return section;
            }
        }
        return null;
    }

    /// <summary>Adds a description whose name is not among them yet.</summary>
    public void Add(QapiDoc.ArgSection section)
    {
        _list.Add(section);
        if (_index != null)
        {
            _index.Add(section.Name, section);
        }
        else if (_list.Count > IndexThreshold)
        {
            _index = new Dictionary<string, QapiDoc.ArgSection>(_list.Count * 2, StringComparer.Ordinal);
            foreach (QapiDoc.ArgSection s in _list)
            {
                _index.Add(s.Name, s);
            }
        }
    }
}
