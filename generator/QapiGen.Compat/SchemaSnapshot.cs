using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Introspection;

namespace QapiGen.Compat;

/// <summary>
/// What a QMP client can observe of one version: the SchemaInfo entries, whether they came from a
/// schema (then they carry schema names, integer widths, locations) or from a saved
/// <c>query-qmp-schema</c> reply (masked names only).
/// </summary>
public sealed class SchemaSnapshot
{
    private readonly Dictionary<string, SchemaInfoEntry> _byName;

    public SchemaSnapshot(string source, IReadOnlyList<SchemaInfoEntry> entries, bool fromSchema, Inputs.SchemaFileSet? files = null)
    {
        Files = files;
        Source = source;
        Entries = entries;
        FromSchema = fromSchema;
        _byName = new Dictionary<string, SchemaInfoEntry>(StringComparer.Ordinal);
        foreach (SchemaInfoEntry e in entries)
        {
            _byName[e.Name] = e; // a reply never repeats a name; last one wins if it does
        }

        Commands = entries.OfType<SchemaInfoCommand>().ToList();
        Events = entries.OfType<SchemaInfoEvent>().ToList();
    }

    /// <summary>The texts it was read from, when read through <see cref="Inputs.SchemaFileSet"/> (locates findings to the column).</summary>
    public Inputs.SchemaFileSet? Files { get; }

    /// <summary>The file it was loaded from.</summary>
    public string Source { get; }

    public IReadOnlyList<SchemaInfoEntry> Entries { get; }

    public bool FromSchema { get; }

    public IReadOnlyList<SchemaInfoCommand> Commands { get; }

    public IReadOnlyList<SchemaInfoEvent> Events { get; }

    public SchemaInfoEntry? Find(string name) => _byName.TryGetValue(name, out SchemaInfoEntry? e) ? e : null;

    /// <summary>The entry a type reference names; a reply that references a missing type is malformed.</summary>
    public SchemaInfoEntry Resolve(string name)
        => Find(name) ?? throw new CompatLoadException($"{Source}: type '{name}' is referenced but not defined");
}

/// <summary>A side cannot be loaded (unreadable file, malformed reply); schema errors are <see cref="Schema.Diagnostics.QapiError"/>.</summary>
public sealed class CompatLoadException : Exception
{
    public CompatLoadException(string message, Exception? inner = null) : base(message, inner) { }
}
