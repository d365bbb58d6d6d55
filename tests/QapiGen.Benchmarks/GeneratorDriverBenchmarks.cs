extern alias generator;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using QapiSourceGenerator = generator::QapiGen.Generator.QapiSourceGenerator;

namespace QapiGen.Benchmarks;

/// <summary>
/// The source generator under Roslyn's driver, warm, on the v8.2.0 QEMU schema: what one run costs
/// after an edit of one schema file (<c>misc.json</c>). Each iteration swaps the file between two texts,
/// so every run sees a change. A comment-only edit must leave every output cached; a doc-comment edit
/// re-runs the emitters; a definition edit is the whole work.
/// </summary>
[MemoryDiagnoser]
public class GeneratorDriverBenchmarks
{
    private const string EditedFile = "misc.json";

    private GeneratorDriver _driver = null!;
    private CSharpCompilation _compilation = null!;
    private AdditionalText _original = null!;
    private readonly Dictionary<string, AdditionalText> _edits = new();
    private AdditionalText _current = null!;

    [GlobalSetup]
    public void Setup()
    {
        string dir = BenchmarkPaths.LargeSchemaDirectory;
        var texts = Directory.GetFiles(dir, "*.json").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (AdditionalText)new MemoryText(f, File.ReadAllText(f))).ToList();
        var options = new Options(texts.ToDictionary(t => t.Path,
            t => Path.GetFileName(t.Path) == "qapi-schema.json" ? "main" : "include"));
        _original = texts.FirstOrDefault(t => Path.GetFileName(t.Path) == EditedFile) ?? texts.First(t => options.Role(t) == "include");
        string text = _original.GetText()!.ToString();
        _edits["comment"] = new MemoryText(_original.Path, text + "\n# A comment that is not a doc comment.\n");
        // The description of the first documented definition, reworded: it is in the XML docs.
        int doc = text.IndexOf("##\n# @", StringComparison.Ordinal);
        int description = text.IndexOf("\n#\n# ", doc, StringComparison.Ordinal) + "\n#\n# ".Length;
        _edits["doc"] = new MemoryText(_original.Path, text.Insert(text.IndexOf('\n', description), " (reworded)"));
        // A new command (documented: the schema requires it): the spec and every output change.
        _edits["definition"] = new MemoryText(_original.Path, text
            + "\n##\n# @x-bench-added:\n#\n# Added by the benchmark.\n#\n# @n: a number\n##\n{ 'command': 'x-bench-added', 'data': { 'n': 'int' } }\n");

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        IEnumerable<MetadataReference> references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(QapiGen.Runtime.Protocol.IQmpDispatcher).Assembly.Location));
        _compilation = CSharpCompilation.Create("Consumer", [CSharpSyntaxTree.ParseText("public class User { }", parse)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _driver = CSharpGeneratorDriver.Create([new QapiSourceGenerator().AsSourceGenerator()], texts, parse, options)
            .RunGenerators(_compilation);
        _current = _original;
        Check(_driver, "the schema");
        // Every edit must still generate everything: an edit the schema refuses would time only the front end.
        foreach ((string? name, AdditionalText? edited) in _edits)
        {
            Check(_driver.ReplaceAdditionalText(_original, edited).RunGenerators(_compilation), name + " edit");
        }
    }

    private static void Check(GeneratorDriver driver, string what)
    {
        GeneratorDriverRunResult result = driver.GetRunResult();
        if (result.Diagnostics.Length > 0 || result.Results.Single().GeneratedSources.Length != 7)
        {
            throw new InvalidOperationException($"{what}: {result.Results.Single().GeneratedSources.Length} files, diagnostics: "
                + string.Join("; ", result.Diagnostics));
        }
    }

    private GeneratorDriver RunAfter(string edit)
    {
        AdditionalText next = _current == _original ? _edits[edit] : _original;
        _driver = _driver.ReplaceAdditionalText(_current, next).RunGenerators(_compilation);
        _current = next;
        return _driver;
    }

    /// <summary>Only a <c>#</c> comment changed: no step past the file's significant text runs.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver CommentEdit() => RunAfter("comment");

    /// <summary>A doc comment changed: the spec is rebuilt and the emitters run again.</summary>
    [Benchmark]
    public GeneratorDriver DocCommentEdit() => RunAfter("doc");

    /// <summary>A definition added: everything runs.</summary>
    [Benchmark]
    public GeneratorDriver DefinitionEdit() => RunAfter("definition");

    private sealed class MemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    // Options as QapiGen.targets passes them: the role of each file, the namespace.
    private sealed class Options(Dictionary<string, string> roles) : AnalyzerConfigOptionsProvider
    {
        private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                bool found = values.TryGetValue(key, out string? v);
                value = v ?? "";
                return found;
            }
        }

        public string Role(AdditionalText text) => roles[text.Path];

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(new() { ["build_property.QapiNamespace"] = "Qemu" });
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values(new());
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Values(roles.TryGetValue(textFile.Path, out string? role) ? new() { ["build_metadata.AdditionalFiles.QapiSchema"] = role } : new());
    }
}
