using System.IO;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Schema.Tests.Conformance;

/// <summary>Older real QEMU schemas whose only problems are doc comments: rejected strictly, loaded leniently.</summary>
public class OlderSchemaTests
{
    private readonly ITestOutputHelper _output;

    public OlderSchemaTests(ITestOutputHelper output) => _output = output;

    [SharedTheory("qemu-schemas")]
    [InlineData("v6.2.0")]
    [InlineData("v7.0.50")]
    public void LoadsWithLenientDocsOnly(string version)
    {
        var fs = new RootedFileSystem(Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, version));
        QapiError strict = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("qapi-schema.json", fs));
        _output.WriteLine("strict: " + strict);
        var options = new QapiSchemaOptions { LenientDocs = true };
        var schema = QapiSchema.Load("qapi-schema.json", fs, options);
        Assert.NotEmpty(schema.Warnings);
        Assert.Contains(schema.Commands, c => c.Name == "query-status");
        _output.WriteLine($"{schema.Warnings.Count} warnings; first: {schema.Warnings.First()}");
    }
}
