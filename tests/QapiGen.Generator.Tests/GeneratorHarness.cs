extern alias generator;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QapiSourceGenerator = generator::QapiGen.Generator.QapiSourceGenerator;

namespace QapiGen.Generator.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class MemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);
    public override string Path { get; } = path;
    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Options as MSBuild passes them: per-file metadata and global properties.</summary>
internal sealed class MemoryOptionsProvider(Dictionary<string, Dictionary<string, string>> perFile, Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            bool found = values.TryGetValue(key, out string? v);
            value = v ?? "";
            return found;
        }
    }

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);
    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new());
    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        new Options(perFile.TryGetValue(textFile.Path, out Dictionary<string, string>? o) ? o : new());
}

/// <summary>Runs the generator over in-memory schemas and compiles the result.</summary>
internal static class Harness
{
    public const string Root = "/proj/schema/";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string[] tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var refs = tpa.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(QapiGen.Runtime.Protocol.IQmpDispatcher).Assembly.Location));
        return refs.ToImmutableArray();
    });

    /// <summary>(path, text, isMain) of schema files; the first main one is the schema.</summary>
    /// <remarks><paramref name="mainMetadata"/>: more metadata of the main file (<c>QapiLenientDocs</c> → <c>build_metadata.AdditionalFiles.QapiLenientDocs</c>);
    /// <paramref name="properties"/>: more MSBuild properties (<c>QapiLenient</c> → <c>build_property.QapiLenient</c>).</remarks>
    public static (ImmutableArray<AdditionalText> Texts, MemoryOptionsProvider Options) Inputs(
        IEnumerable<(string Path, string Text, bool Main)> files, string? ns = "Test.Qapi",
        IReadOnlyDictionary<string, string>? mainMetadata = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        var texts = new List<AdditionalText>();
        var perFile = new Dictionary<string, Dictionary<string, string>>();
        foreach ((string? path, string? text, bool main) in files)
        {
            texts.Add(new MemoryAdditionalText(path, text));
            perFile[path] = new() { ["build_metadata.AdditionalFiles.QapiSchema"] = main ? "main" : "include" };
            if (main && mainMetadata != null)
            {
                foreach ((string? key, string? value) in mainMetadata)
                {
                    perFile[path]["build_metadata.AdditionalFiles." + key] = value;
                }
            }
        }
        var global = new Dictionary<string, string> { ["build_property.RootNamespace"] = "Test" };
        if (ns != null)
        {
            global["build_property.QapiNamespace"] = ns;
        }

        if (properties != null)
        {
            foreach ((string? key, string? value) in properties)
            {
                global["build_property." + key] = value;
            }
        }
        return (texts.ToImmutableArray(), new MemoryOptionsProvider(perFile, global));
    }

    public static CSharpCompilation Compilation(IEnumerable<string>? symbols = null, params string[] sources)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: symbols);
        if (sources.Length == 0)
        {
            sources = [""];
        }

        return CSharpCompilation.Create("Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, options, path: $"/proj/File{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Default));
    }

    public static GeneratorDriver Driver(ImmutableArray<AdditionalText> texts, MemoryOptionsProvider options, CSharpParseOptions parseOptions, bool track = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new QapiSourceGenerator().AsSourceGenerator() },
            texts, parseOptions, options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>Runs the generator; returns the output compilation and the generator's diagnostics.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result) Run(
        IEnumerable<(string Path, string Text, bool Main)> files, IEnumerable<string>? symbols = null, string consumer = "",
        IReadOnlyDictionary<string, string>? mainMetadata = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        (ImmutableArray<AdditionalText> texts, MemoryOptionsProvider? options) = Inputs(files, mainMetadata: mainMetadata, properties: properties);
        CSharpCompilation compilation = Compilation(symbols, consumer);
        GeneratorDriver driver = Driver(texts, options, (CSharpParseOptions)compilation.SyntaxTrees.First().Options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation? output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>Errors and warnings of a compilation (hidden / info ignored).</summary>
    public static List<Diagnostic> Problems(Compilation c) =>
        c.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    public static string Format(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Take(20).Select(d => d.ToString()));

    /// <summary>The test schema of QapiGen.Generated.Tests (copied beside the tests).</summary>
    public static List<(string Path, string Text, bool Main)> TestSchema()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "schema");
        return Directory.GetFiles(dir, "*.json").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Root + Path.GetFileName(f), File.ReadAllText(f), Path.GetFileName(f) == "qapi-schema.json")).ToList();
    }
}
