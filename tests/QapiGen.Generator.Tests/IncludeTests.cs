using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// The generator follows the include graph from the main file among the files MSBuild passed
/// (PackageTests checks what QapiGen.targets passes).
/// </summary>
public class IncludeTests
{
    [Fact]
    public void AnIncludeOutsideTheMainFolderIsRead()
    {
        (Compilation? output, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult _) = Harness.Run([
            ("/proj/schema/api.json", "{ 'include': '../common/sum.json' }\n{ 'command': 'add', 'returns': 'Sum' }\n", true),
            ("/proj/common/sum.json", "{ 'include': 'more/part.json' }\n{ 'struct': 'Sum', 'data': { 'value': 'Part' } }\n", false),
            ("/proj/common/more/part.json", "{ 'struct': 'Part', 'data': { 'n': 'int' } }\n", false)]);
        Assert.Empty(diagnostics);
        Assert.Empty(Harness.Problems(output));
        Assert.NotNull(output.GetTypeByMetadataName("Test.Qapi.Sum"));
        Assert.NotNull(output.GetTypeByMetadataName("Test.Qapi.Part"));
    }

    [Fact]
    public void AnIncludeNotPassedIsAnErrorThatSaysWhereTheGeneratorLooks()
    {
        (Compilation _, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult _) = Harness.Run([
            ("/proj/schema/api.json", "\n{ 'include': '../elsewhere/sum.json' }\n", true),
            ("/proj/schema/sum.json", "{ 'struct': 'Sum', 'data': { 'value': 'int' } }\n", false)]);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("QAPI0002", d.Id);
        Assert.Contains("can't read include file '/proj/schema/../elsewhere/sum.json': no such file among the generator's inputs", d.GetMessage());
        Assert.Contains("IncludeDirs", d.GetMessage());
        Assert.Equal(1, d.Location.GetLineSpan().StartLinePosition.Line);
    }
}
