using System;
using System.Collections.Generic;
using QapiGen.Docs.Model;

namespace QapiGen.Docs;

/// <summary>
/// Where each documented name lives in the output: entity name → <c>page.ext#anchor</c>, and per
/// entity its member anchors, so <c>@name</c> in a description links to a member of the same
/// definition first, then to a definition.
/// </summary>
public sealed class LinkResolver
{
    private readonly Dictionary<string, EntityModel> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _members = new(StringComparer.Ordinal);

    public LinkResolver(SchemaModel model, string extension)
    {
        Extension = extension;
        foreach (EntityModel e in model.Entities)
        {
            _entities[e.Name] = e;
            var anchors = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (MemberModel m in e.Members)
            {
                anchors[m.Name] = m.Anchor;
            }

            if (e.Variants != null)
            {
                foreach (MemberModel b in e.Variants.Branches)
                {
                    anchors.TryAdd(b.Name, b.Anchor);
                }
            }
            _members[e.Name] = anchors;
        }
    }

    /// <summary>The page extension, with the dot (<c>.html</c>, <c>.md</c>).</summary>
    public string Extension { get; }

    /// <summary>The URL of a definition, or null when it is not documented.</summary>
    public string? Entity(string name)
        => _entities.TryGetValue(name, out EntityModel? e) ? e.Page + Extension + "#" + e.Anchor : null;

    /// <summary>The URL of a page (a module page or the index) by page name.</summary>
    public string Page(string page) => page + Extension;

    /// <summary>Resolves <c>@name</c> seen in the docs of <paramref name="context"/>: its member, else a definition.</summary>
    public string? Reference(string name, string? context)
    {
        if (context != null && _members.TryGetValue(context, out Dictionary<string, string>? anchors) && anchors.TryGetValue(name, out string? anchor)
            && _entities.TryGetValue(context, out EntityModel? owner))
        {
            return owner.Page + Extension + "#" + anchor;
        }

        return Entity(name);
    }
}
