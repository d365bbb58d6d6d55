using System;
using System.IO;
using System.Linq;
using QapiGen.Schema.Dump;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests.Model;

/// <summary>The project's own schemas (test sample and the host's schema) load into a model.</summary>
public class ProjectSchemaTests
{
    [Fact]
    public void SampleLoads()
    {
        var schema = QapiSchema.Load("sample.json", new RootedFileSystem(Path.Combine(AppContext.BaseDirectory, "Samples")));
        Assert.Equal(new[] { "./builtin", "sample.json", "sample-common.json" }, schema.Modules.Select(m => m.Name));
        QapiSchemaCommand draw = schema.LookupEntity<QapiSchemaCommand>("draw")!;
        Assert.Equal("int", draw.RetType!.Name);
        Assert.True(draw.IsUnstable);
        Assert.True(draw.IfCond.Evaluate(s => s == "CONFIG_DRAW"));
        Assert.False(draw.IfCond.Evaluate(s => s == "CONFIG_A"));
        QapiSchemaEnumType colour = schema.LookupEntity<QapiSchemaEnumType>("Colour")!;
        Assert.True(colour.Members.Single(m => m.Name == "blue").Features.Single().IsDeprecated);
        Assert.Contains("module sample-common.json\n", SchemaDumper.Dump(schema));
    }

    [Fact]
    public void HostSchemaLoads()
    {
        string dir = Path.Combine(RepoPaths.Root, "schema");
        string? main = Directory.GetFiles(dir, "*.json").Select(Path.GetFileName).FirstOrDefault(n => n == "qapi-schema.json");
        Assert.NotNull(main);
        var schema = QapiSchema.Load(main!, new RootedFileSystem(dir));
        Assert.NotEmpty(schema.Commands);
    }
}
