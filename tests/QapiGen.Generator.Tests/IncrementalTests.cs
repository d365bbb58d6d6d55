extern alias generator;

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using QapiSourceGenerator = generator::QapiGen.Generator.QapiSourceGenerator;

namespace QapiGen.Generator.Tests;

public class IncrementalTests
{
    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, System.Collections.Immutable.ImmutableArray<AdditionalText> Texts) Start(string[]? symbols = null)
    {
        var (texts, options) = Harness.Inputs(Harness.TestSchema());
        var compilation = Harness.Compilation(symbols ?? ["CONFIG_TEST"], "public class User { }");
        var driver = Harness.Driver(texts, options, (CSharpParseOptions)compilation.SyntaxTrees.First().Options, track: true);
        driver = driver.RunGenerators(compilation);
        Assert.All(Reasons(driver, QapiSourceGenerator.EmitStep), r => Assert.Equal(IncrementalStepRunReason.New, r));
        return (driver, compilation, texts);
    }

    [Fact]
    public void Editing_unrelated_CSharp_reruns_no_emitter()
    {
        var (driver, compilation, texts) = Start();
        var tree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("public class User { public int X; }")));
        driver = driver.RunGenerators(edited);
        Assert.All(Reasons(driver, QapiSourceGenerator.SpecStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, QapiSourceGenerator.EmitStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(driver, QapiSourceGenerator.IntrospectionStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Editing_one_schema_file_regenerates()
    {
        var (driver, compilation, texts) = Start();
        var old = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var types = texts.Single(t => t.Path.EndsWith("types.json"));
        var changed = new MemoryAdditionalText(types.Path, types.GetText()!.ToString()
            .Replace("{ 'struct': 'Thing', 'data': { 'label': 'str', '*count': 'uint64' } }",
                     "{ 'struct': 'Thing', 'data': { 'label': 'str', '*count': 'uint64', '*note': 'str' } }"));
        driver = driver.ReplaceAdditionalText(types, changed).RunGenerators(compilation);
        Assert.All(Reasons(driver, QapiSourceGenerator.SpecStep), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, QapiSourceGenerator.EmitStep));
        var now = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Contains("Note", now["Test.Qapi.Types.g.cs"]);
        Assert.DoesNotContain("Note", old["Test.Qapi.Types.g.cs"]);
    }

    [Fact]
    public void Whitespace_only_schema_edit_regenerates_nothing_but_the_spec()
    {
        var (driver, compilation, texts) = Start();
        var main = texts.Single(t => t.Path.EndsWith("qapi-schema.json"));
        driver = driver.ReplaceAdditionalText(main, new MemoryAdditionalText(main.Path, main.GetText()!.ToString() + "\n\n# trailing comment\n"))
            .RunGenerators(compilation);
        // The spec is rebuilt (its input changed)...
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, QapiSourceGenerator.SpecStep));
        // ...but only the introspection data is keyed by the text hash; the other emitters see an equal spec
        // except for that key, so they run again and produce the same text.
        var texts2 = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToList();
        Assert.Equal(7, texts2.Count);
    }

    [Fact]
    public void Defining_an_unrelated_symbol_does_not_rerun_introspection()
    {
        var (driver, compilation, texts) = Start();
        var parse = ((CSharpParseOptions)compilation.SyntaxTrees.First().Options).WithPreprocessorSymbols("CONFIG_TEST", "UNRELATED");
        driver = driver.WithUpdatedParseOptions(parse).RunGenerators(compilation);
        Assert.All(Reasons(driver, QapiSourceGenerator.IntrospectionStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        parse = parse.WithPreprocessorSymbols("CONFIG_TEST", "CONFIG_OFF");
        driver = driver.WithUpdatedParseOptions(parse).RunGenerators(compilation);
        Assert.All(Reasons(driver, QapiSourceGenerator.IntrospectionStep), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.All(Reasons(driver, QapiSourceGenerator.EmitStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }
}
