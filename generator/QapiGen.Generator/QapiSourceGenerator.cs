using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QapiGen.CodeGen;
using OutputKind = QapiGen.CodeGen.OutputKind;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Generator;

/// <summary>
/// Generates a typed C# API from the QAPI schemas of a project (<c>QapiSchema</c> items).
/// Pipeline: AdditionalFiles (+ metadata) → per main schema an equatable <see cref="SchemaSpec"/>
/// (or diagnostics) → one emitter step per kind of output; introspection also takes the
/// compilation's preprocessor symbols. The generator never throws.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class QapiSourceGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (for incremental tests).</summary>
    public const string SpecStep = "QapiSpec";
    public const string EmitStep = "QapiEmit";
    public const string IntrospectionStep = "QapiEmitIntrospection";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadFile(pair.Left, pair.Right, ct))
            .Where(static f => f != null)
            .Select(static (f, _) => f!)
            .Collect();

        var project = context.AnalyzerConfigOptionsProvider
            .Select(static (o, _) => new ProjectOptions(DefaultNamespace(o.GlobalOptions),
                Flag(o.GlobalOptions, "build_property.QapiLenientDocs") ?? false, Flag(o.GlobalOptions, "build_property.QapiLenient") ?? false,
                o.GlobalOptions.TryGetValue("build_property.MSBuildProjectDirectory", out var dir) && !string.IsNullOrWhiteSpace(dir) ? dir.Trim() : null));

        var results = files.Combine(project)
            .SelectMany(static (pair, ct) => BuildAll(pair.Left, pair.Right, ct))
            .WithTrackingName(SpecStep);

        context.RegisterSourceOutput(results.Select(static (r, _) => r.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (var d in diagnostics)
                spc.ReportDiagnostic(ToDiagnostic(d));
        });

        var specs = results.Where(static r => r.Spec != null).Select(static (r, _) => r.Spec!);

        var hasRuntime = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("QapiGen.Runtime.Protocol.IQmpDispatcher") != null);

        var jobs = specs.Combine(hasRuntime).SelectMany(static (pair, _) =>
            CodeGenerator.AllKinds
                .Where(k => k != OutputKind.Introspection && (pair.Right || !CodeGenerator.NeedsRuntime(k)) && CodeGenerator.Includes(pair.Left.Scope, k))
                .Select(k => new EmitJob(pair.Left, k)));
        var sources = jobs.Select(static (job, ct) => Emit(job, ct)).WithTrackingName(EmitStep);
        context.RegisterSourceOutput(sources, static (spc, r) => Add(spc, r));

        var symbols = context.ParseOptionsProvider.Select(static (o, _) =>
            o is CSharpParseOptions cs ? cs.PreprocessorSymbolNames.OrderBy(s => s, StringComparer.Ordinal).ToEquatableArray() : EquatableArray<string>.Empty);
        var introspection = specs.Where(static s => CodeGenerator.Includes(s.Scope, OutputKind.Introspection)).Combine(symbols)
            .Select(static (pair, _) => new IntrospectionJob(pair.Left,
                pair.Right.Where(s => pair.Left.Introspection.Symbols.Contains(s)).ToEquatableArray()))
            .Select(static (job, ct) => EmitIntrospection(job, ct))
            .WithTrackingName(IntrospectionStep);
        context.RegisterSourceOutput(introspection, static (spc, r) => Add(spc, r));
    }

    private static void Add(SourceProductionContext spc, (GeneratedSource? Source, DiagnosticInfo? Error) r)
    {
        if (r.Source != null)
            spc.AddSource(r.Source.HintName, SourceText.From(r.Source.Text, Encoding.UTF8));
        if (r.Error != null)
            spc.ReportDiagnostic(ToDiagnostic(r.Error));
    }

    private static (GeneratedSource?, DiagnosticInfo?) Emit(EmitJob job, CancellationToken ct)
    {
        try
        {
            return (CodeGenerator.Emit(job.Spec, job.Kind, _ => false), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, Internal(e));
        }
    }

    private static (GeneratedSource?, DiagnosticInfo?) EmitIntrospection(IntrospectionJob job, CancellationToken ct)
    {
        try
        {
            var defined = new HashSet<string>(job.DefinedSymbols, StringComparer.Ordinal);
            return (CodeGenerator.Emit(job.Spec, OutputKind.Introspection, defined.Contains), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, Internal(e));
        }
    }

    private static SchemaFileInput? ReadFile(AdditionalText file, AnalyzerConfigOptionsProvider options, CancellationToken ct)
    {
        try
        {
            var o = options.GetOptions(file);
            if (!o.TryGetValue("build_metadata.AdditionalFiles.QapiSchema", out var role) || string.IsNullOrWhiteSpace(role))
                return null;
            o.TryGetValue("build_metadata.AdditionalFiles.QapiNamespace", out var ns);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiBaseline", out var baseline);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiGenerate", out var generate);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiCommands", out var commands);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiEvents", out var events);
            var isMain = string.Equals(role.Trim(), "main", StringComparison.OrdinalIgnoreCase)
                || string.Equals(role.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            return new SchemaFileInput(file.Path, isMain, string.IsNullOrWhiteSpace(ns) ? null : ns!.Trim(), file.GetText(ct)?.ToString(),
                isMain ? Flag(o, "build_metadata.AdditionalFiles.QapiLenientDocs") : null,
                isMain ? Flag(o, "build_metadata.AdditionalFiles.QapiLenient") : null,
                isMain && !string.IsNullOrWhiteSpace(baseline) ? baseline!.Trim() : null,
                isMain ? Metadata(generate) : null, isMain ? Metadata(commands) : null, isMain ? Metadata(events) : null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new SchemaFileInput(file.Path, false, null, null);
        }
    }

    private static string? Metadata(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    // An MSBuild boolean: null when unset or empty, so item metadata can defer to the project property.
    private static bool? Flag(AnalyzerConfigOptions options, string key)
    {
        if (!options.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
            return null;
        return string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }

    private static string DefaultNamespace(AnalyzerConfigOptions global)
    {
        if (global.TryGetValue("build_property.QapiNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns))
            return ns.Trim();
        if (global.TryGetValue("build_property.RootNamespace", out var root) && !string.IsNullOrWhiteSpace(root))
            return root.Trim() + ".Qapi";
        return "Qapi";
    }

    private static IEnumerable<SchemaResult> BuildAll(ImmutableArray<SchemaFileInput> files, ProjectOptions project, CancellationToken ct)
    {
        var results = new List<SchemaResult>();
        foreach (var item in files.Where(f => f.IsMain).OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var main = item;
            // A relative baseline is relative to the project, as MSBuild item paths are.
            if (main.Baseline != null && project.Directory != null && !System.IO.Path.IsPathRooted(main.Baseline))
                main = main with { Baseline = System.IO.Path.GetFullPath(System.IO.Path.Combine(project.Directory, main.Baseline)) };
            results.Add(Build(main, files, main.Namespace ?? project.Namespace,
                main.LenientDocs ?? project.LenientDocs, main.Lenient ?? project.Lenient));
        }
        return results;
    }

    /// <summary>
    /// Reads one main schema (with the files it includes) into a spec, or diagnostics. Lenient, the
    /// problems tolerated come back as located QAPI0101 warnings beside the spec.
    /// </summary>
    internal static SchemaResult Build(SchemaFileInput main, ImmutableArray<SchemaFileInput> files, string ns, bool lenientDocs = false, bool lenient = false)
    {
        var fs = new InMemorySchemaFileSystem();
        var texts = new Dictionary<string, (string Path, string Text)>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            if (f.Text == null)
                continue;
            fs.Add(f.Path, f.Text);
            texts[fs.GetFullPath(f.Path)] = (f.Path, f.Text);
        }
        try
        {
            if (main.Text == null)
                return Fail(main.Path, Info("QAPI0004", $"can't read schema file '{main.Path}'", main.Path));
            if (!IsValidNamespace(ns))
                return Fail(main.Path, Info("QAPI0005", ns, main.Path));
            var options = new QapiGen.Schema.QapiSchemaOptions { LenientDocs = lenientDocs, Lenient = lenient };
            var schema = QapiSchema.Load(main.Path, fs, options);
            BaselineDiff? baseline = null;
            if (main.Baseline != null)
            {
                // The baseline is read in the older language too: baselines are older schemas, often as shipped.
                var old = QapiSchema.Load(main.Baseline, fs, new QapiGen.Schema.QapiSchemaOptions { Lenient = true });
                baseline = BaselineDiff.Compute(schema, old, BaselineDiff.NameOf(main.Baseline));
            }
            var scope = GenerationOptions.ParseScope(main.Generate);
            if (scope == null)
                return Fail(main.Path, Info("QAPI0006", $"Generate=\"{main.Generate}\" is not one of All, Client, Server, Types", main.Path));
            var generation = new GenerationOptions(scope.Value, main.Commands, main.Events);
            var key = ns + (lenient ? "\0lenient" : lenientDocs ? "\0lenient-docs" : "") + "\0" + main.Baseline
                + "\0" + generation.Scope + "\0" + generation.Commands + "\0" + generation.Events;
            var spec = SpecBuilder.Build(schema, ns, InputKey(main, texts.Values, key), baseline, generation);
            var warnings = schema.Warnings.Select(w => Locate("QAPI0101", w, fs, texts, main.Path))
                .Concat(generation.Problems(schema).Select(p => Info("QAPI0102", p, main.Path)))
                .ToEquatableArray();
            return new SchemaResult(main.Path, spec, warnings);
        }
        catch (QapiError e)
        {
            var id = e is CodeGenException ? "QAPI0003" : e is QapiParseError ? "QAPI0001" : e.Info == null ? "QAPI0004" : "QAPI0002";
            return Fail(main.Path, Locate(id, e, fs, texts, main.Path));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(main.Path, Internal(e));
        }
    }

    private static SchemaResult Fail(string path, DiagnosticInfo d) => new(path, null, new EquatableArray<DiagnosticInfo>(new[] { d }));

    private static DiagnosticInfo Info(string id, string message, string? path) => new(id, message, path, 0, 0, 0, 0, 0, 0);

    private static DiagnosticInfo Internal(Exception e) => new("QAPI9999", e.GetType().Name + ": " + e.Message, null, 0, 0, 0, 0, 0, 0);

    // Locates a front-end error in the schema text: the file, line and (for syntax errors) column;
    // the span runs to the end of the line.
    private static DiagnosticInfo Locate(string id, QapiError e, InMemorySchemaFileSystem fs,
        Dictionary<string, (string Path, string Text)> texts, string mainPath)
    {
        var message = e.Detail;
        if (e.Info?.DefnName != null)
            message = $"In {e.Info.DefnMeta} '{e.Info.DefnName}': {message}";
        if (e.Info == null)
            return Info(id, message, mainPath);
        if (!texts.TryGetValue(fs.GetFullPath(e.Info.FileName), out var file))
            return Info(id, message, e.Info.FileName);
        var line = Math.Max(0, (e.Info.Line ?? 1) - 1);
        var column = Math.Max(0, (e.Column ?? 1) - 1);
        var text = file.Text;
        var start = 0;
        for (var i = 0; i < line && start < text.Length; i++)
        {
            var nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                start = text.Length;
                break;
            }
            start = nl + 1;
        }
        var end = text.IndexOf('\n', start);
        if (end < 0)
            end = text.Length;
        if (end > start && text[end - 1] == '\r')
            end--;
        var spanStart = Math.Min(start + column, end);
        return new DiagnosticInfo(id, message, file.Path, spanStart, end - spanStart, line, spanStart - start, line, end - start);
    }

    private static Diagnostic ToDiagnostic(DiagnosticInfo d)
    {
        var location = d.Path == null
            ? Location.None
            : Location.Create(d.Path, new TextSpan(d.Start, d.Length),
                new LinePositionSpan(new LinePosition(d.Line, d.Column), new LinePosition(d.EndLine, d.EndColumn)));
        return Diagnostic.Create(DiagnosticDescriptors.ById(d.Id), location, d.Message);
    }

    // Identifies the inputs of a spec: every schema text, its path and the namespace.
    private static string InputKey(SchemaFileInput main, IEnumerable<(string Path, string Text)> files, string ns)
    {
        using var sha = SHA256.Create();
        var sb = new StringBuilder();
        sb.Append(main.Path).Append('\0').Append(ns).Append('\0');
        foreach (var (path, text) in files.OrderBy(f => f.Path, StringComparer.Ordinal))
            sb.Append(path).Append('\0').Append(text).Append('\0');
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(sb.ToString()));
        return Convert.ToBase64String(hash);
    }

    private static bool IsValidNamespace(string ns)
    {
        foreach (var part in ns.Split('.'))
        {
            if (part.Length == 0 || !SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None)
                return false;
        }
        return true;
    }
}
