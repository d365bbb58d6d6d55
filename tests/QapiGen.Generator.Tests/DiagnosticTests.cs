using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace QapiGen.Generator.Tests;

public class DiagnosticTests
{
    private static Diagnostic Single(params (string Path, string Text, bool Main)[] files)
    {
        (Compilation? output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = Harness.Run(files);
        Assert.Empty(result.Results.Single().GeneratedSources);
        return Assert.Single(diagnostics);
    }

    [Fact]
    public void SyntaxErrorIsLocatedAtFileLineAndColumn()
    {
        Diagnostic d = Single((Harness.Root + "main.json", "{ 'enum': 'Foo', 'data': [ 'a' ] }\n{ 'enum': 'Bar', 'data': [ 'b' ] } %\n", true));
        Assert.Equal("QAPI0001", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        FileLinePositionSpan span = d.Location.GetLineSpan();
        Assert.Equal(Harness.Root + "main.json", span.Path);
        Assert.Equal(1, span.StartLinePosition.Line);         // 0-based: line 2
        Assert.Equal(35, span.StartLinePosition.Character);   // the '%'
        Assert.Contains("stray '%'", d.GetMessage());
    }

    [Fact]
    public void ErrorInAnIncludedFilePointsIntoThatFile()
    {
        Diagnostic d = Single(
            (Harness.Root + "main.json", "{ 'include': 'sub/inc.json' }\n", true),
            (Harness.Root + "sub/inc.json", "# comment\n\n{ 'struct': 'Bar',\n  'data': { 'x': 'nope' } }\n", false));
        Assert.Equal("QAPI0002", d.Id);
        FileLinePositionSpan span = d.Location.GetLineSpan();
        Assert.Equal(Harness.Root + "sub/inc.json", span.Path);
        Assert.Equal(2, span.StartLinePosition.Line);
        Assert.Equal("In struct 'Bar': member 'x' uses unknown type 'nope'", d.GetMessage());
    }

    [Fact]
    public void MissingIncludeIsReportedAtTheDirective()
    {
        Diagnostic d = Single((Harness.Root + "main.json", "\n{ 'include': 'missing.json' }\n", true));
        Assert.Equal("QAPI0002", d.Id);
        Assert.Equal(1, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("can't read include file", d.GetMessage());
    }

    [Fact]
    public void InvalidNamespaceIsReported()
    {
        (ImmutableArray<AdditionalText> texts, MemoryOptionsProvider? options) = Harness.Inputs([(Harness.Root + "main.json", "{ 'enum': 'Foo', 'data': [ 'a' ] }\n", true)], ns: "Bad.class.Name");
        CSharpCompilation compilation = Harness.Compilation();
        GeneratorDriver driver = Harness.Driver(texts, options, (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)compilation.SyntaxTrees.First().Options)
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Equal("QAPI0005", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void FilesWithoutQapiSchemaMetadataAreIgnored()
    {
        (ImmutableArray<AdditionalText> texts, MemoryOptionsProvider _) = Harness.Inputs([(Harness.Root + "main.json", "this is not a schema", true)]);
        CSharpCompilation compilation = Harness.Compilation();
        GeneratorDriver driver = Harness.Driver(texts, new MemoryOptionsProvider(new(), new()), (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)compilation.SyntaxTrees.First().Options)
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
    }
}
