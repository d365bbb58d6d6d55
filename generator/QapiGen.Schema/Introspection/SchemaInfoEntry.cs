using System;
using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>
/// One SchemaInfo object of a <c>query-qmp-schema</c> reply (QEMU's <c>SchemaInfo</c> union):
/// the wire members (name, meta-type, features and those of the meta-type) plus annotations that
/// never reach the wire: the condition (when conditions are kept), the name in the schema and
/// where it was defined. Entries read back from a saved reply have no annotations.
/// </summary>
public abstract class SchemaInfoEntry
{
    protected SchemaInfoEntry(string name, IReadOnlyList<SchemaInfoFeature>? features, QapiSchemaIfCond? ifCond,
        string? schemaName, QapiSourceInfo? info)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Features = features ?? Array.Empty<SchemaInfoFeature>();
        IfCond = ifCond ?? QapiSchemaIfCond.None;
        SchemaName = schemaName;
        Info = info;
    }

    /// <summary>The name on the wire: masked (digits) for user-defined types unless unmasked.</summary>
    public string Name { get; }

    /// <summary>The wire's <c>meta-type</c>: builtin, enum, array, object, alternate, command or event.</summary>
    public abstract string MetaType { get; }

    public IReadOnlyList<SchemaInfoFeature> Features { get; }

    /// <summary>The condition under which the entry exists (always <see cref="QapiSchemaIfCond.None"/> once resolved).</summary>
    public QapiSchemaIfCond IfCond { get; }

    /// <summary>The name in the schema (e.g. <c>q_obj_query-foo-arg</c>); null when read from the wire.</summary>
    public string? SchemaName { get; }

    /// <summary>Where the definition was written; null for built-ins and wire-read entries.</summary>
    public QapiSourceInfo? Info { get; }

    public override string ToString() => $"{MetaType} '{SchemaName ?? Name}'";
}

/// <summary>A feature string of an entry or member, with its condition.</summary>
public sealed class SchemaInfoFeature
{
    public SchemaInfoFeature(string name, QapiSchemaIfCond? ifCond = null)
    {
        Name = name;
        IfCond = ifCond ?? QapiSchemaIfCond.None;
    }

    public string Name { get; }
    public QapiSchemaIfCond IfCond { get; }

    public override string ToString() => Name;
}
