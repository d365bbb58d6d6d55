using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QapiGen.CodeGen;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using OutputKind = QapiGen.CodeGen.OutputKind;

namespace QapiGen.Generator;

/// <summary>
/// Generates a typed C# API from the QAPI schemas of a project (<c>QapiSchema</c> items), in the shape
/// of the System.Text.Json and logging generators: inputs → an equatable spec → emitters, where every
/// value between steps has value equality, so a step whose input equals the last run's is skipped.
/// <list type="number">
/// <item>Per file (<see cref="FileStep"/>): the AdditionalFile's significant text (tokens and doc comments).</item>
/// <item>Per main schema (<see cref="IncludesStep"/>): the files its include graph reaches.</item>
/// <item>Per main schema (<see cref="SpecStep"/>): front end and <see cref="SpecBuilder"/> → <see cref="SchemaSpec"/>.</item>
/// <item>Per kind of output (<see cref="EmitStep"/>, <see cref="IntrospectionStep"/>): the C# text;
///   introspection also takes the compilation's preprocessor symbols that its conditions name.</item>
/// </list>
/// The caching rule: whitespace and <c>#</c> comments outside doc comment blocks never reach the
/// spec, so editing only them leaves every output cached (the spec step does not even run). A doc
/// comment's text becomes XML docs: editing it rebuilds the spec and re-runs the emitters; those whose
/// text does not carry docs produce equal text (<c>Unchanged</c>). Diagnostics are located in the files
/// as written, by a step of their own. The generator never throws.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class QapiSourceGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (for incremental tests).</summary>
    public const string FileStep = "QapiSchemaFile";
    public const string IncludesStep = "QapiIncludes";
    public const string SpecStep = "QapiSpec";
    public const string EmitStep = "QapiEmit";
    public const string IntrospectionStep = "QapiEmitIntrospection";
    public const string DiagnosticsStep = "QapiDiagnostics";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<SchemaFileInput> files = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, ct) => ReadFile(pair.Left, pair.Right, ct))
            .Where(static f => f != null)
            .Select(static (f, _) => f!);

        IncrementalValueProvider<ProjectOptions> project = context.AnalyzerConfigOptionsProvider
            .Select(static (o, _) => new ProjectOptions(DefaultNamespace(o.GlobalOptions),
                Flag(o.GlobalOptions, "build_property.QapiLenientDocs") ?? false, Flag(o.GlobalOptions, "build_property.QapiLenient") ?? false,
                o.GlobalOptions.TryGetValue("build_property.MSBuildProjectDirectory", out string? dir) && !string.IsNullOrWhiteSpace(dir) ? dir.Trim() : null));

        IncrementalValuesProvider<SchemaFileInput> significant = files
            .Select(static (f, _) => f.Text == null ? f : f with { Text = SignificantText.Of(f.Text) })
            .WithTrackingName(FileStep);

        IncrementalValuesProvider<SchemaInput> inputs = significant.Collect().Combine(project)
            .SelectMany(static (pair, ct) => Inputs(pair.Left, pair.Right, ct))
            .WithTrackingName(IncludesStep);

        IncrementalValuesProvider<SchemaResult> results = inputs.Select(static (input, _) => Build(input.Main, input.Files, input.Settings)).WithTrackingName(SpecStep);

        // Diagnostics come from the files as written (positions matter there), read again only when the
        // spec step found problems; otherwise this step's output is the same empty list every time.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results.Combine(files.Collect())
            .Select(static (pair, _) => pair.Left.Diagnostics.Count == 0
                ? EquatableArray<DiagnosticInfo>.Empty
                : Build(pair.Right.First(f => f.Path == pair.Left.MainPath), new EquatableArray<SchemaFileInput>(pair.Right), pair.Left.Settings).Diagnostics)
            .WithTrackingName(DiagnosticsStep);
        context.RegisterSourceOutput(diagnostics, static (spc, diagnostics) =>
        {
            foreach (DiagnosticInfo d in diagnostics)
            {
                spc.ReportDiagnostic(ToDiagnostic(d));
            }
        });

        IncrementalValuesProvider<SchemaSpec> specs = results.Where(static r => r.Spec != null).Select(static (r, _) => r.Spec!);

        IncrementalValueProvider<bool> hasRuntime = context.CompilationProvider
            .Select(static (c, _) => c.GetTypeByMetadataName("QapiGen.Runtime.Protocol.IQmpDispatcher") != null);

        IncrementalValuesProvider<EmitJob> jobs = specs.Combine(hasRuntime).SelectMany(static (pair, _) =>
            CodeGenerator.AllKinds
                .Where(k => k != OutputKind.Introspection && (pair.Right || !CodeGenerator.NeedsRuntime(k)) && CodeGenerator.Includes(pair.Left.Scope, k))
                .Select(k => new EmitJob(pair.Left, k)));
        IncrementalValuesProvider<(GeneratedSource?, DiagnosticInfo?)> sources = jobs.Select(static (job, ct) => Emit(job, ct)).WithTrackingName(EmitStep);
        context.RegisterSourceOutput(sources, static (spc, r) => Add(spc, r));

        IncrementalValueProvider<EquatableArray<string>> symbols = context.ParseOptionsProvider.Select(static (o, _) =>
            o is CSharpParseOptions cs ? cs.PreprocessorSymbolNames.OrderBy(s => s, StringComparer.Ordinal).ToEquatableArray() : EquatableArray<string>.Empty);
        IncrementalValuesProvider<(GeneratedSource?, DiagnosticInfo?)> introspection = specs.Where(static s => CodeGenerator.Includes(s.Scope, OutputKind.Introspection)).Combine(symbols)
            .Select(static (pair, _) => new IntrospectionJob(pair.Left,
                pair.Right.Where(s => pair.Left.Introspection.Symbols.Contains(s)).ToEquatableArray()))
            .Select(static (job, ct) => EmitIntrospection(job, ct))
            .WithTrackingName(IntrospectionStep);
        context.RegisterSourceOutput(introspection, static (spc, r) => Add(spc, r));
    }

    private static void Add(SourceProductionContext spc, (GeneratedSource? Source, DiagnosticInfo? Error) r)
    {
        if (r.Source != null)
        {
            spc.AddSource(r.Source.HintName, SourceText.From(r.Source.Text, Encoding.UTF8));
        }

        if (r.Error != null)
        {
            spc.ReportDiagnostic(ToDiagnostic(r.Error));
        }
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
            AnalyzerConfigOptions o = options.GetOptions(file);
            if (!o.TryGetValue("build_metadata.AdditionalFiles.QapiSchema", out string? role) || string.IsNullOrWhiteSpace(role))
            {
                return null;
            }

            o.TryGetValue("build_metadata.AdditionalFiles.QapiNamespace", out string? ns);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiBaseline", out string? baseline);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiGenerate", out string? generate);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiCommands", out string? commands);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiEvents", out string? events);
            o.TryGetValue("build_metadata.AdditionalFiles.QapiFdCommands", out string? fdCommands);
            bool isMain = string.Equals(role.Trim(), "main", StringComparison.OrdinalIgnoreCase)
                || string.Equals(role.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            return new SchemaFileInput(file.Path, isMain, string.IsNullOrWhiteSpace(ns) ? null : ns!.Trim(), file.GetText(ct)?.ToString(),
                isMain ? Flag(o, "build_metadata.AdditionalFiles.QapiLenientDocs") : null,
                isMain ? Flag(o, "build_metadata.AdditionalFiles.QapiLenient") : null,
                isMain && !string.IsNullOrWhiteSpace(baseline) ? baseline!.Trim() : null,
                isMain ? Metadata(generate) : null, isMain ? Metadata(commands) : null, isMain ? Metadata(events) : null,
                isMain ? Metadata(fdCommands) : null);
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
        if (!options.TryGetValue(key, out string? value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }

    private static string DefaultNamespace(AnalyzerConfigOptions global)
    {
        if (global.TryGetValue("build_property.QapiNamespace", out string? ns) && !string.IsNullOrWhiteSpace(ns))
        {
            return ns.Trim();
        }

        if (global.TryGetValue("build_property.RootNamespace", out string? root) && !string.IsNullOrWhiteSpace(root))
        {
            return root.Trim() + ".Qapi";
        }

        return "Qapi";
    }

    // One input per main schema: its settings, and the files its include graph (and its baseline's) reaches.
    private static IEnumerable<SchemaInput> Inputs(ImmutableArray<SchemaFileInput> files, ProjectOptions project, CancellationToken ct)
    {
        var byKey = new Dictionary<string, SchemaFileInput>(StringComparer.Ordinal);
        foreach (SchemaFileInput f in files)
        {
            byKey[PassedFiles.Key(f.Path)] = f;
        }

        var inputs = new List<SchemaInput>();
        foreach (SchemaFileInput? main in files.Where(f => f.IsMain).OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            // A relative baseline is relative to the project, as MSBuild item paths are.
            string? baseline = main.Baseline;
            if (baseline != null && project.Directory != null && !System.IO.Path.IsPathRooted(baseline))
            {
                baseline = System.IO.Path.GetFullPath(System.IO.Path.Combine(project.Directory, baseline));
            }

            var settings = new SchemaSettings(main.Namespace ?? project.Namespace,
                main.LenientDocs ?? project.LenientDocs, main.Lenient ?? project.Lenient, baseline,
                main.Generate, main.Commands, main.Events, main.FdCommands);
            List<SchemaFileInput> reached = IncludeGraph.Reached(main.Path, byKey);
            if (baseline != null)
            {
                reached = reached.Concat(IncludeGraph.Reached(baseline, byKey)).Distinct().OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            }

            inputs.Add(new SchemaInput(main, settings, reached.ToEquatableArray()));
        }
        return inputs;
    }

    /// <summary>
    /// Reads one main schema (with the files it includes) into a spec, or diagnostics. Lenient, the
    /// problems tolerated come back as located QAPI0101 warnings beside the spec.
    /// </summary>
    internal static SchemaResult Build(SchemaFileInput main, EquatableArray<SchemaFileInput> files, SchemaSettings settings)
    {
        var fs = new PassedFiles();
        var texts = new Dictionary<string, (string Path, string Text)>(StringComparer.Ordinal);
        foreach (SchemaFileInput f in files)
        {
            if (f.Text == null)
            {
                continue;
            }

            fs.Add(f.Path, f.Text);
            texts[fs.GetFullPath(f.Path)] = (f.Path, f.Text);
        }
        string ns = settings.Namespace;
        try
        {
            if (main.Text == null)
            {
                return Fail(main.Path, settings, Info("QAPI0004", $"can't read schema file '{main.Path}'", main.Path));
            }

            if (!IsValidNamespace(ns))
            {
                return Fail(main.Path, settings, Info("QAPI0005", ns, main.Path));
            }

            var options = new QapiGen.Schema.QapiSchemaOptions { LenientDocs = settings.LenientDocs, Lenient = settings.Lenient };
            var schema = QapiSchema.Load(main.Path, fs, options);
            BaselineDiff? baseline = null;
            if (settings.Baseline != null)
            {
                // The baseline is read in the older language too: baselines are older schemas, often as shipped.
                var old = QapiSchema.Load(settings.Baseline, fs, new QapiGen.Schema.QapiSchemaOptions { Lenient = true });
                baseline = BaselineDiff.Compute(schema, old, BaselineDiff.NameOf(settings.Baseline));
            }
            GenerationScope? scope = GenerationOptions.ParseScope(settings.Generate);
            if (scope == null)
            {
                return Fail(main.Path, settings, Info("QAPI0006", $"Generate=\"{settings.Generate}\" is not one of All, Client, Server, Types", main.Path));
            }

            var generation = new GenerationOptions(scope.Value, settings.Commands, settings.Events, settings.FdCommands);
            SchemaSpec spec = SpecBuilder.Build(schema, ns, baseline, generation);
            var warnings = schema.Warnings.Select(w => Locate("QAPI0101", w, fs, texts, main.Path))
                .Concat(generation.Problems(schema).Select(p => Info("QAPI0102", p, main.Path)))
                .ToEquatableArray();
            return new SchemaResult(main.Path, settings, spec, warnings);
        }
        catch (QapiError e)
        {
            string id = e is CodeGenException ? "QAPI0003" : e is QapiParseError ? "QAPI0001" : e.Info == null ? "QAPI0004" : "QAPI0002";
            return Fail(main.Path, settings, Locate(id, e, fs, texts, main.Path));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(main.Path, settings, Internal(e));
        }
    }

    private static SchemaResult Fail(string path, SchemaSettings settings, DiagnosticInfo d) =>
        new(path, settings, null, new EquatableArray<DiagnosticInfo>(new[] { d }));

    private static DiagnosticInfo Info(string id, string message, string? path) => new(id, message, path, 0, 0, 0, 0, 0, 0);

    private static DiagnosticInfo Internal(Exception e) => new("QAPI9999", e.GetType().Name + ": " + e.Message, null, 0, 0, 0, 0, 0, 0);

    // Locates a front-end error in the schema text: the file, line and (for syntax errors) column;
    // the span runs to the end of the line.
    private static DiagnosticInfo Locate(string id, QapiError e, PassedFiles fs,
        Dictionary<string, (string Path, string Text)> texts, string mainPath)
    {
        string message = e.Detail;
        if (e.Info?.DefnName != null)
        {
            message = $"In {e.Info.DefnMeta} '{e.Info.DefnName}': {message}";
        }

        if (e.Info == null)
        {
            return Info(id, message, mainPath);
        }

        if (!texts.TryGetValue(fs.GetFullPath(e.Info.FileName), out (string Path, string Text) file))
        {
            return Info(id, message, e.Info.FileName);
        }

        int line = Math.Max(0, (e.Info.Line ?? 1) - 1);
        int column = Math.Max(0, (e.Column ?? 1) - 1);
        string text = file.Text;
        int start = 0;
        for (int i = 0; i < line && start < text.Length; i++)
        {
            int nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                start = text.Length;
                break;
            }
            start = nl + 1;
        }
        int end = text.IndexOf('\n', start);
        if (end < 0)
        {
            end = text.Length;
        }

        if (end > start && text[end - 1] == '\r')
        {
            end--;
        }

        int spanStart = Math.Min(start + column, end);
        return new DiagnosticInfo(id, message, file.Path, spanStart, end - spanStart, line, spanStart - start, line, end - start);
    }

    private static Diagnostic ToDiagnostic(DiagnosticInfo d)
    {
        Location location = d.Path == null
            ? Location.None
            : Location.Create(d.Path, new TextSpan(d.Start, d.Length),
                new LinePositionSpan(new LinePosition(d.Line, d.Column), new LinePosition(d.EndLine, d.EndColumn)));
        return Diagnostic.Create(DiagnosticDescriptors.ById(d.Id), location, d.Message);
    }

    private static bool IsValidNamespace(string ns)
    {
        foreach (string? part in ns.Split('.'))
        {
            if (part.Length == 0 || !SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None)
            {
                return false;
            }
        }
        return true;
    }
}
