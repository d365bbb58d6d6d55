extern alias generator;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using GeneratedSource = generator::QapiGen.CodeGen.GeneratedSource;
using QapiSourceGenerator = generator::QapiGen.Generator.QapiSourceGenerator;

namespace QapiGen.Generator.Tests;

/// <summary>
/// What each pipeline step does on a second run, by the reasons Roslyn tracks (<see cref="IncrementalStepRunReason"/>):
/// an edit that cannot change the output must leave every output <c>Cached</c> (the step did not run) or
/// <c>Unchanged</c> (it ran and produced an equal value).
/// </summary>
public class IncrementalTests
{
    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step) =>
        Steps(driver, step).SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static IEnumerable<IncrementalGeneratorRunStep> Steps(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> steps) ? steps : [];

    // The reason of each emitter's output, by the name of the file it made.
    private static Dictionary<string, IncrementalStepRunReason> EmitReasons(GeneratorDriver driver) =>
        Steps(driver, QapiSourceGenerator.EmitStep).Concat(Steps(driver, QapiSourceGenerator.IntrospectionStep))
            .SelectMany(s => s.Outputs)
            .ToDictionary(o => ((GeneratedSource)((ITuple)o.Value)[0]!).HintName, o => o.Reason);

    private static Dictionary<string, string> Sources(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, ImmutableArray<AdditionalText> Texts) Start(
        IEnumerable<(string Path, string Text, bool Main)>? files = null)
    {
        (ImmutableArray<AdditionalText> texts, MemoryOptionsProvider? options) = Harness.Inputs(files ?? Harness.TestSchema());
        CSharpCompilation compilation = Harness.Compilation(["CONFIG_TEST"], "public class User { }");
        GeneratorDriver driver = Harness.Driver(texts, options, (CSharpParseOptions)compilation.SyntaxTrees.First().Options, track: true);
        driver = driver.RunGenerators(compilation);
        Assert.All(Reasons(driver, QapiSourceGenerator.EmitStep), r => Assert.Equal(IncrementalStepRunReason.New, r));
        return (driver, compilation, texts);
    }

    private static GeneratorDriver Edit(GeneratorDriver driver, ImmutableArray<AdditionalText> texts, string fileName, System.Func<string, string> edit)
    {
        AdditionalText file = texts.Single(t => t.Path.EndsWith("/" + fileName));
        string text = file.GetText()!.ToString();
        string edited = edit(text);
        Assert.NotEqual(text, edited);
        return driver.ReplaceAdditionalText(file, new MemoryAdditionalText(file.Path, edited));
    }

    private static void AssertAllCached(GeneratorDriver driver, params string[] steps)
    {
        foreach (string step in steps)
        {
            var reasons = Reasons(driver, step).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        }
    }

    [Fact]
    public void EditingUnrelatedCSharpRerunsNoStep()
    {
        (GeneratorDriver? driver, CSharpCompilation? compilation, ImmutableArray<AdditionalText> _) = Start();
        SyntaxTree tree = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("public class User { public int X; }")));
        driver = driver.RunGenerators(edited);
        AssertAllCached(driver, QapiSourceGenerator.FileStep, QapiSourceGenerator.IncludesStep, QapiSourceGenerator.SpecStep,
            QapiSourceGenerator.EmitStep, QapiSourceGenerator.IntrospectionStep, QapiSourceGenerator.DiagnosticsStep);
    }

    [Fact]
    public void EditingADefinitionRegenerates()
    {
        (GeneratorDriver? driver, CSharpCompilation? compilation, ImmutableArray<AdditionalText> texts) = Start();
        Dictionary<string, string> old = Sources(driver);
        driver = Edit(driver, texts, "types.json", t => t.Replace(
            "{ 'struct': 'Thing', 'data': { 'label': 'str', '*count': 'uint64' } }",
            "{ 'struct': 'Thing', 'data': { 'label': 'str', '*count': 'uint64', '*note': 'str' } }")).RunGenerators(compilation);
        Assert.All(Reasons(driver, QapiSourceGenerator.SpecStep), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.Equal(IncrementalStepRunReason.Modified, EmitReasons(driver)["Test.Qapi.Types.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Modified, EmitReasons(driver)["Test.Qapi.Introspection.g.cs"]);
        Assert.Contains("Note", Sources(driver)["Test.Qapi.Types.g.cs"]);
        Assert.DoesNotContain("Note", old["Test.Qapi.Types.g.cs"]);
    }

    // Comments that are not doc comments and whitespace outside strings never reach the parser's
    // result: the file's significant text is unchanged, and no later step runs.
    [Theory]
    [InlineData("qapi-schema.json", "at the end", "", "\n\n# trailing comment\n")]
    [InlineData("types.json", "a comment line above a definition", "{ 'struct': 'Base'", "# A comment that is not a doc comment.\n{ 'struct': 'Base'")]
    [InlineData("types.json", "a comment inside an expression", "'data': { 'name': 'str' } }", "'data': { 'name': 'str' } # the name\n}")]
    [InlineData("types.json", "whitespace inside an expression", "{ 'struct': 'Base', 'data'", "{\t'struct' :  'Base' ,\n\n   'data'")]
    [InlineData("types.json", "blank lines inside a doc comment block", "# A base struct.\n", "# A base struct.\n\n\n")]
    [InlineData("types.json", "indentation before a doc comment line", "# A base struct.\n", "    # A base struct.\n")]
    public void A_comment_or_whitespace_edit_leaves_every_output_cached(string file, string what, string find, string replace)
    {
        (GeneratorDriver? driver, CSharpCompilation? compilation, ImmutableArray<AdditionalText> texts) = Start();
        Dictionary<string, string> old = Sources(driver);
        driver = Edit(driver, texts, file, t => find.Length == 0 ? t + replace : ReplaceOnce(t, find, replace)).RunGenerators(compilation);
        var fileReasons = Reasons(driver, QapiSourceGenerator.FileStep).ToList();
        Assert.True(fileReasons.Count(r => r == IncrementalStepRunReason.Unchanged) == 1, what + ": " + string.Join(", ", fileReasons));
        Assert.All(fileReasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, what));
        AssertAllCached(driver, QapiSourceGenerator.SpecStep, QapiSourceGenerator.EmitStep, QapiSourceGenerator.IntrospectionStep);
        Assert.Equal(old, Sources(driver));
    }

    // A doc comment's text is in the XML docs: the spec changes, and the emitters run again; the
    // outputs that carry no docs come out equal.
    [Fact]
    public void ADocCommentEditRegeneratesOnlyTheTextThatCarriesIt()
    {
        (GeneratorDriver? driver, CSharpCompilation? compilation, ImmutableArray<AdditionalText> texts) = Start();
        driver = Edit(driver, texts, "types.json", t => ReplaceOnce(t, "# A base struct.", "# A base struct, reworded.")).RunGenerators(compilation);
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, QapiSourceGenerator.FileStep));
        Assert.All(Reasons(driver, QapiSourceGenerator.SpecStep), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Dictionary<string, IncrementalStepRunReason> emitted = EmitReasons(driver);
        Assert.Equal(IncrementalStepRunReason.Modified, emitted["Test.Qapi.Types.g.cs"]);
        Assert.Contains("A base struct, reworded.", Sources(driver)["Test.Qapi.Types.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Unchanged, emitted["Test.Qapi.Support.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Unchanged, emitted["Test.Qapi.Introspection.g.cs"]);
    }

    // Diagnostics are located in the file as written: layout moves them although the spec step is cached.
    [Fact]
    public void AWhitespaceEditMovesADiagnostic()
    {
        (string, string, bool)[] files = [(Harness.Root + "bad.json", "{ 'struct': 'Foo', 'data': { 'has-bar': 'int' } }\n", true)];
        (ImmutableArray<AdditionalText> texts, MemoryOptionsProvider? options) = Harness.Inputs(files);
        CSharpCompilation compilation = Harness.Compilation();
        GeneratorDriver driver = Harness.Driver(texts, options, (CSharpParseOptions)compilation.SyntaxTrees.First().Options, track: true).RunGenerators(compilation);
        Diagnostic before = driver.GetRunResult().Diagnostics.Single();
        Assert.Equal(0, before.Location.GetLineSpan().StartLinePosition.Line);
        driver = driver.ReplaceAdditionalText(texts[0], new MemoryAdditionalText(texts[0].Path, "# a comment\n\n" + files[0].Item2)).RunGenerators(compilation);
        AssertAllCached(driver, QapiSourceGenerator.SpecStep);
        Diagnostic after = driver.GetRunResult().Diagnostics.Single();
        Assert.Equal(before.GetMessage(), after.GetMessage());
        Assert.Equal(2, after.Location.GetLineSpan().StartLinePosition.Line);
    }

    // Only the files the include graph reaches are the spec's input.
    [Fact]
    public void EditingAFileNoIncludeReachesChangesNothing()
    {
        List<(string Path, string Text, bool Main)> files = Harness.TestSchema();
        files.Add((Harness.Root + "unrelated.json", "{ 'struct': 'Unrelated', 'data': {} }\n", false));
        (GeneratorDriver? driver, CSharpCompilation? compilation, ImmutableArray<AdditionalText> texts) = Start(files);
        driver = Edit(driver, texts, "unrelated.json", t => t.Replace("'data': {}", "'data': { 'x': 'int' }")).RunGenerators(compilation);
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, QapiSourceGenerator.FileStep));
        AssertAllCached(driver, QapiSourceGenerator.SpecStep, QapiSourceGenerator.EmitStep, QapiSourceGenerator.IntrospectionStep);
        Assert.DoesNotContain("Unrelated", Sources(driver)["Test.Qapi.Types.g.cs"]);
    }

    [Fact]
    public void DefiningAnUnrelatedSymbolDoesNotRerunIntrospection()
    {
        (GeneratorDriver? driver, CSharpCompilation? compilation, ImmutableArray<AdditionalText> _) = Start();
        CSharpParseOptions parse = ((CSharpParseOptions)compilation.SyntaxTrees.First().Options).WithPreprocessorSymbols("CONFIG_TEST", "UNRELATED");
        driver = driver.WithUpdatedParseOptions(parse).RunGenerators(compilation);
        Assert.All(Reasons(driver, QapiSourceGenerator.IntrospectionStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        parse = parse.WithPreprocessorSymbols("CONFIG_TEST", "CONFIG_OFF");
        driver = driver.WithUpdatedParseOptions(parse).RunGenerators(compilation);
        Assert.All(Reasons(driver, QapiSourceGenerator.IntrospectionStep), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.All(Reasons(driver, QapiSourceGenerator.EmitStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    private static string ReplaceOnce(string text, string find, string replace)
    {
        int i = text.IndexOf(find, System.StringComparison.Ordinal);
        Assert.True(i >= 0, "not found: " + find);
        return text.Substring(0, i) + replace + text.Substring(i + find.Length);
    }
}
