using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;

namespace QapiGen.CodeGen;

/// <summary>
/// The introspection data (QEMU's SchemaInfo list) with its conditions still open, as plain values:
/// the JSON text wherever nothing depends on a condition, and the conditional array elements kept
/// apart with their <see cref="CondSpec"/>. It is resolved against the compilation's preprocessor
/// symbols only when emitted; two equal specs render the same bytes for every set of symbols.
/// </summary>
/// <param name="Root">The JSON array of SchemaInfo objects.</param>
/// <param name="Symbols">Every preprocessor symbol the data depends on, sorted.</param>
public sealed record IntrospectionSpec(IntrospectionNode Root, EquatableArray<string> Symbols)
{
    /// <summary>An empty list: what a spec holds until its introspection data, built apart, is put in.</summary>
    internal static readonly IntrospectionSpec Empty = new(IntrospectionNode.FromJson("[]"), EquatableArray<string>.Empty);

    /// <summary>The spec of a schema's introspection data (<see cref="SchemaInfoBuilder"/>).</summary>
    /// <param name="served">With a subset: whether a command (false) or event (true) of that name is served; only those are listed.</param>
    /// <param name="builtIns">The built-in commands the server answers with QEMU's definitions (<see cref="BuiltInCommands.Missing"/>): listed too.</param>
    public static IntrospectionSpec Create(QapiSchema schema, Func<string, bool, bool>? served = null, IReadOnlyList<string>? builtIns = null)
    {
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        // One builder for every folded object and array: the fold is bottom-up, so a value's parts are
        // finished strings when it is built, and each level of the data is copied once, not once per
        // piece, join and brace (the data is half a megabyte for QEMU's schema).
        var text = new StringBuilder();
        IReadOnlyList<SchemaInfoEntry> entries = BuiltInCommands.AddTo(SchemaInfoBuilder.Build(schema, served: served), builtIns ?? Array.Empty<string>());
        IntrospectionNode root = SchemaInfoJson.Fold(entries,
            IntrospectionNode.FromJson,
            members => members.All(m => m.Value.Json != null)
                ? IntrospectionNode.FromJson(ObjectJson(text, members))
                : new IntrospectionNode(null, members.Select(m => new IntrospectionMember(m.Key, m.Value)).ToEquatableArray(),
                    EquatableArray<IntrospectionElement>.Empty),
            elements =>
            {
                foreach (KeyValuePair<QapiSchemaIfCond, IntrospectionNode> e in elements)
                {
                    if (e.Key.Expr != null)
                    {
                        foreach (string s in e.Key.Expr.Symbols())
                        {
                            symbols.Add(s);
                        }
                    }
                }
                return elements.All(e => e.Key.Expr == null && e.Value.Json != null)
                    ? IntrospectionNode.FromJson(ArrayJson(text, elements))
                    : new IntrospectionNode(null, EquatableArray<IntrospectionMember>.Empty,
                        elements.Select(e => new IntrospectionElement(SpecBuilder.Cond(e.Key), e.Value)).ToEquatableArray(), IsArray: true);
            });
        return new IntrospectionSpec(root, symbols.ToEquatableArray());
    }

    // {"k": v, ...} of members that are all JSON text.
    private static string ObjectJson(StringBuilder text, IReadOnlyList<KeyValuePair<string, IntrospectionNode>> members)
    {
        text.Clear().Append('{');
        for (int i = 0; i < members.Count; i++)
        {
            (i > 0 ? text.Append(", ") : text).Append(members[i].Key).Append(": ").Append(members[i].Value.Json);
        }
        return text.Append('}').ToString();
    }

    // [v, ...] of elements that are all JSON text.
    private static string ArrayJson(StringBuilder text, IReadOnlyList<KeyValuePair<QapiSchemaIfCond, IntrospectionNode>> elements)
    {
        text.Clear().Append('[');
        for (int i = 0; i < elements.Count; i++)
        {
            (i > 0 ? text.Append(", ") : text).Append(elements[i].Value.Json);
        }
        return text.Append(']').ToString();
    }

    /// <summary>The <c>query-qmp-schema</c> return value (a JSON array) for the given defined symbols.</summary>
    public string Render(Func<string, bool> isDefined)
    {
        var sb = new StringBuilder();
        Root.WriteTo(sb, isDefined);
        return sb.ToString();
    }
}

/// <summary>
/// A JSON value of the introspection data: <paramref name="Json"/> when nothing inside depends on a
/// condition, else an object (<paramref name="Members"/>) or an array (<paramref name="Elements"/>, <paramref name="IsArray"/>).
/// </summary>
public sealed record IntrospectionNode(string? Json, EquatableArray<IntrospectionMember> Members, EquatableArray<IntrospectionElement> Elements,
    bool IsArray = false)
{
    public static IntrospectionNode FromJson(string json) =>
        new(json, EquatableArray<IntrospectionMember>.Empty, EquatableArray<IntrospectionElement>.Empty);

    internal void WriteTo(StringBuilder sb, Func<string, bool> isDefined)
    {
        if (Json != null)
        {
            sb.Append(Json);
            return;
        }
        if (!IsArray)
        {
            sb.Append('{');
            for (int i = 0; i < Members.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }

                sb.Append(Members[i].Key).Append(": ");
                Members[i].Value.WriteTo(sb, isDefined);
            }
            sb.Append('}');
            return;
        }
        sb.Append('[');
        bool first = true;
        foreach (IntrospectionElement e in Elements)
        {
            if (e.If != null && !e.If.Evaluate(isDefined))
            {
                continue;
            }

            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            e.Value.WriteTo(sb, isDefined);
        }
        sb.Append(']');
    }
}

/// <summary>A member of an introspection object: the key as JSON text and the value.</summary>
public sealed record IntrospectionMember(string Key, IntrospectionNode Value);

/// <summary>An element of an introspection array and the condition under which it exists (null: always).</summary>
public sealed record IntrospectionElement(CondSpec? If, IntrospectionNode Value);
