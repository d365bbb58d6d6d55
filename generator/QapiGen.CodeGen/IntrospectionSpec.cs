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
    /// <summary>The spec of a schema's introspection data (<see cref="SchemaInfoBuilder"/>).</summary>
    /// <param name="served">With a subset: whether a command (false) or event (true) of that name is served; only those are listed.</param>
    /// <param name="builtIns">The built-in commands the server answers with QEMU's definitions (<see cref="BuiltInCommands.Missing"/>): listed too.</param>
    public static IntrospectionSpec Create(QapiSchema schema, Func<string, bool, bool>? served = null, IReadOnlyList<string>? builtIns = null)
    {
        var symbols = new SortedSet<string>(StringComparer.Ordinal);
        IReadOnlyList<SchemaInfoEntry> entries = BuiltInCommands.AddTo(SchemaInfoBuilder.Build(schema, served: served), builtIns ?? Array.Empty<string>());
        // What holds no condition comes as JSON text; an object or array that holds one keeps its parts.
        IntrospectionNode root = SchemaInfoJson.Fold(entries,
            IntrospectionNode.FromJson,
            members => new IntrospectionNode(null, members.Select(m => new IntrospectionMember(m.Key, m.Value)).ToEquatableArray(),
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
                return new IntrospectionNode(null, EquatableArray<IntrospectionMember>.Empty,
                    elements.Select(e => new IntrospectionElement(SpecBuilder.Cond(e.Key), e.Value)).ToEquatableArray(), IsArray: true);
            });
        return new IntrospectionSpec(root, symbols.ToEquatableArray());
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
