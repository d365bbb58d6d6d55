using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using QapiGen.Cli.Commands;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// Leniency for older schemas as shipped: <c>QapiLenientDocs</c> / <c>QapiLenient</c> (project property or
/// <c>LenientDocs</c> / <c>Lenient</c> item metadata) turn doc-comment problems into located QAPI0101
/// warnings in the source generator; <c>--lenient-docs</c> / <c>--lenient</c> do the same for
/// <c>qapigen generate</c> and <c>qapigen introspect</c>.
/// </summary>
[Collection("Console")]
public class LenientTests
{
    // Line 5 documents a member that does not exist, as QEMU v6.2.0's job.json does ('id ').
    private const string Schema = """
        ##
        # @Foo:
        #
        # @bar: exists
        # @baz: does not exist
        ##
        { 'struct': 'Foo', 'data': { 'bar': 'int' } }

        ##
        # @query-foo:
        #
        # Returns: a Foo
        ##
        { 'command': 'query-foo', 'returns': 'Foo' }
        """;

    private static (string, string, bool)[] Files => [(Harness.Root + "qapi-schema.json", Schema, true)];

    [Fact]
    public void StrictADocProblemIsAnError()
    {
        (Compilation _, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = Harness.Run(Files);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("QAPI0002", d.Id);
        Assert.Contains("'baz'", d.GetMessage());
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Theory]
    [InlineData("property", "QapiLenientDocs")]
    [InlineData("property", "QapiLenient")]
    [InlineData("metadata", "QapiLenientDocs")]
    [InlineData("metadata", "QapiLenient")]
    public void LenientADocProblemIsALocatedWarningAndCodeIsGenerated(string where, string name)
    {
        var settings = new Dictionary<string, string> { [name] = "true" };
        (Compilation? output, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = where == "property"
            ? Harness.Run(Files, properties: settings)
            : Harness.Run(Files, mainMetadata: settings);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("QAPI0101", d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("'baz'", d.GetMessage());
        FileLinePositionSpan span = d.Location.GetLineSpan();
        Assert.Equal(Harness.Root + "qapi-schema.json", span.Path);
        Assert.True(span.StartLinePosition.Line is >= 0 and <= 6, span.ToString());
        Assert.Contains(result.Results.Single().GeneratedSources, s => s.HintName.EndsWith(".Types.g.cs", StringComparison.Ordinal));
        Assert.Empty(Harness.Problems(output));
    }

    [Fact]
    public void ItemMetadataOverridesTheProjectProperty()
    {
        (Compilation _, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult _) = Harness.Run(Files,
            mainMetadata: new Dictionary<string, string> { ["QapiLenientDocs"] = "false" },
            properties: new Dictionary<string, string> { ["QapiLenientDocs"] = "true" });
        Assert.Equal("QAPI0002", Assert.Single(diagnostics).Id);
    }

    private static (int Exit, string Error) Capture(Func<int> run)
    {
        var err = new StringWriter();
        var out_ = new StringWriter();
        TextWriter oldErr = Console.Error;
        TextWriter oldOut = Console.Out;
        Console.SetError(err);
        Console.SetOut(out_);
        try
        {
            return (run(), err.ToString());
        }
        finally
        {
            Console.SetError(oldErr);
            Console.SetOut(oldOut);
        }
    }

    [SharedTheory("qemu-schemas")]
    [InlineData("v6.2.0", "--lenient-docs")]
    [InlineData("v7.0.50", "--lenient-docs")]
    [InlineData("v5.2.0", "--lenient")]
    public void CliGenerateAndIntrospectTakeOlderSchemasLeniently(string version, string flag)
    {
        string schema = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, version, "qapi-schema.json");
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-lenient-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int Exit, string Error) strict = Capture(() => GenerateCommand.Run([schema, "-o", dir]));
            Assert.Equal(1, strict.Exit);
            (int Exit, string Error) lenient = Capture(() => GenerateCommand.Run([schema, "-o", dir, flag]));
            Assert.Equal(0, lenient.Exit);
            Assert.Contains("warning: ", lenient.Error);
            Assert.Equal(7, Directory.GetFiles(dir, "*.g.cs").Length);

            Assert.Equal(1, Capture(() => IntrospectCommand.Run([schema])).Exit);
            (int Exit, string Error) introspect = Capture(() => IntrospectCommand.Run([schema, flag]));
            Assert.Equal(0, introspect.Exit);
            Assert.Contains("warning: ", introspect.Error);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
