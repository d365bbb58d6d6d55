using System;
using QapiGen.CodeGen;

namespace QapiGen.Generator;

// The values that flow through the generator's pipeline. Every one has value equality and holds no
// model objects, Roslyn symbols or locations, so Roslyn can compare a step's output with the last
// run's and skip what follows when they are equal.

/// <summary>One schema file MSBuild passed as an AdditionalFile with QapiSchema metadata.</summary>
/// <remarks><paramref name="Text"/>: the file's text, or (after the significant-text step) only what the parser's
/// result depends on (<see cref="QapiGen.Schema.Parsing.SignificantText"/>).
/// <paramref name="LenientDocs"/> / <paramref name="Lenient"/>: the item's metadata, null when not set.
/// <paramref name="Baseline"/>: the main file of the older schema a client must also work with (item metadata).
/// <paramref name="Generate"/>, <paramref name="Commands"/>, <paramref name="Events"/>: the item's scope and subset (metadata, as written);
/// <paramref name="FdCommands"/>: the commands that consume passed fds (metadata, as written).</remarks>
internal sealed record SchemaFileInput(string Path, bool IsMain, string? Namespace, string? Text, bool? LenientDocs = null, bool? Lenient = null,
    string? Baseline = null, string? Generate = null, string? Commands = null, string? Events = null, string? FdCommands = null);

/// <summary>
/// The project-wide settings: the default namespace, and the leniency of every schema that does not set
/// its own (<c>QapiLenientDocs</c>: doc-comment problems are warnings; <c>QapiLenient</c>: QEMU's older
/// language is accepted too, implying lenient docs).
/// </summary>
internal sealed record ProjectOptions(string Namespace, bool LenientDocs, bool Lenient, string? Directory = null);

/// <summary>
/// How one main schema is generated: its item metadata resolved against the project's settings.
/// Options of the <c>QapiSchema</c> item belong here, as more fields.
/// </summary>
/// <param name="Baseline">The full path of the baseline's main file, if any.</param>
/// <param name="Generate">The side to generate (<c>All</c>, <c>Client</c>, <c>Server</c>, <c>Types</c>) as written; null: all.</param>
/// <param name="Commands">The commands to generate (globs, <c>!</c> excludes) as written; null: all.</param>
/// <param name="Events">The events to generate, likewise.</param>
/// <param name="FdCommands">The commands whose client methods take fds (globs) as written; null: QEMU's (<c>getfd;add-fd</c>).</param>
internal sealed record SchemaSettings(string Namespace, bool LenientDocs, bool Lenient, string? Baseline,
    string? Generate = null, string? Commands = null, string? Events = null, string? FdCommands = null);

/// <summary>
/// One main schema and the files its include graph reaches (its baseline's too), sorted by path:
/// the spec's whole input. Files no include reaches are not in it, so editing them changes nothing.
/// </summary>
internal sealed record SchemaInput(SchemaFileInput Main, SchemaSettings Settings, EquatableArray<SchemaFileInput> Files);

/// <summary>A diagnostic as plain values (no Roslyn Location in the pipeline).</summary>
internal sealed record DiagnosticInfo(string Id, string Message, string? Path, int Start, int Length, int Line, int Column, int EndLine, int EndColumn);

/// <summary>The outcome of reading one main schema: its spec, or why there is none.</summary>
/// <remarks>Built from significant texts, the diagnostics are located in them: they only say that there are
/// some; the diagnostics step reads the files as written again to locate them.</remarks>
internal sealed record SchemaResult(string MainPath, SchemaSettings Settings, SchemaSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>One emitter run: a spec and the kind of output.</summary>
internal sealed record EmitJob(SchemaSpec Spec, OutputKind Kind);

/// <summary>The introspection emitter run: a spec and the defined symbols it depends on.</summary>
internal sealed record IntrospectionJob(SchemaSpec Spec, EquatableArray<string> DefinedSymbols);
