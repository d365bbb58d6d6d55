using System;
using QapiGen.CodeGen;

namespace QapiGen.Generator;

/// <summary>One schema file MSBuild passed as an AdditionalFile with QapiSchema metadata.</summary>
/// <remarks><paramref name="LenientDocs"/> / <paramref name="Lenient"/>: the item's metadata, null when not set.</remarks>
/// <remarks><paramref name="Baseline"/>: the main file of the older schema a client must also work with (item metadata).</remarks>
/// <remarks><paramref name="Generate"/>, <paramref name="Commands"/>, <paramref name="Events"/>: the item's scope and subset (metadata, as written).</remarks>
internal sealed record SchemaFileInput(string Path, bool IsMain, string? Namespace, string? Text, bool? LenientDocs = null, bool? Lenient = null,
    string? Baseline = null, string? Generate = null, string? Commands = null, string? Events = null);

/// <summary>
/// The project-wide settings: the default namespace, and the leniency of every schema that does not set
/// its own (<c>QapiLenientDocs</c>: doc-comment problems are warnings; <c>QapiLenient</c>: QEMU's older
/// language is accepted too, implying lenient docs).
/// </summary>
internal sealed record ProjectOptions(string Namespace, bool LenientDocs, bool Lenient, string? Directory = null);

/// <summary>A diagnostic as plain values (no Roslyn Location in the pipeline).</summary>
internal sealed record DiagnosticInfo(string Id, string Message, string? Path, int Start, int Length, int Line, int Column, int EndLine, int EndColumn);

/// <summary>The outcome of reading one main schema: its spec, or why there is none.</summary>
internal sealed record SchemaResult(string MainPath, SchemaSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>One emitter run: a spec and the kind of output.</summary>
internal sealed record EmitJob(SchemaSpec Spec, OutputKind Kind);

/// <summary>The introspection emitter run: a spec and the defined symbols it depends on.</summary>
internal sealed record IntrospectionJob(SchemaSpec Spec, EquatableArray<string> DefinedSymbols);
