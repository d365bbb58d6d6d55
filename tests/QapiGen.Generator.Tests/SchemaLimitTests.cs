using System.Linq;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// The generator reads schema texts through the front end's guarded path: the same size limit as
/// <c>qapigen</c> (16 MiB per file), reported at the include directive.
/// </summary>
public class SchemaLimitTests
{
    [Fact]
    public void AnIncludedTextOverTheSizeLimitIsReportedAtTheDirective()
    {
        (Microsoft.CodeAnalysis.Compilation _, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> diagnostics, Microsoft.CodeAnalysis.GeneratorDriverRunResult? result) = Harness.Run(new[]
        {
            (Harness.Root + "main.json", "{ 'enum': 'Colour', 'data': [ 'red' ] }\n{ 'include': 'huge.json' }\n", true),
            (Harness.Root + "huge.json", new string(' ', 16 * 1024 * 1024 + 1), false),
        });
        Assert.Empty(result.Results.Single().GeneratedSources);
        Microsoft.CodeAnalysis.Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("QAPI0002", d.Id);
        Assert.Equal(1, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal("can't read include file '/proj/schema/huge.json': file too large (more than 16 MiB)", d.GetMessage());
    }
}
