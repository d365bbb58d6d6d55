using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using QapiGen.Cli.Commands;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary><c>qapigen generate</c> and <c>qapigen introspect</c> give what the generator gives.</summary>
[Collection("Console")]
public class CliTests
{
    private static string SchemaPath => Path.Combine(AppContext.BaseDirectory, "schema", "qapi-schema.json");

    [Fact]
    public void GenerateWritesTheGeneratorsFiles()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-gen-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(0, GenerateCommand.Run([SchemaPath, "-o", dir, "-n", "Test.Qapi", "-D", "CONFIG_TEST"]));
            (Microsoft.CodeAnalysis.Compilation _, ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> _, Microsoft.CodeAnalysis.GeneratorDriverRunResult? result) = Harness.Run(Harness.TestSchema(), ["CONFIG_TEST"]);
            ImmutableArray<Microsoft.CodeAnalysis.GeneratedSourceResult> generated = result.Results.Single().GeneratedSources;
            Assert.Equal(generated.Select(g => g.HintName).OrderBy(n => n), Directory.GetFiles(dir).Select(Path.GetFileName).OrderBy(n => n));
            foreach (Microsoft.CodeAnalysis.GeneratedSourceResult g in generated)
            {
                Assert.Equal(g.SourceText.ToString(), File.ReadAllText(Path.Combine(dir, g.HintName)));
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [SharedTheory("qemu-schemas")]
    [InlineData(new string[0], "All", null)]
    [InlineData(new[] { "--generate", "client", "--commands", "query-block*;blockdev-*" }, "Client", "query-block*;blockdev-*")]
    public void GenerateWritesQemusSchemaAsTheStringsOfOneThread(string[] options, string scope, string? commands)
    {
        // The CLI makes its files on every core, streamed into them: the bytes of the serial strings.
        string schema = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0", "qapi-schema.json");
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-gen-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(0, GenerateCommand.Run([schema, "-o", dir, "-D", "ALL", .. options]));
            QapiGen.CodeGen.SchemaSpec spec = QapiGen.CodeGen.SpecBuilder.Build(QapiGen.Schema.Model.QapiSchema.Load(schema, null, new QapiGen.Schema.QapiSchemaOptions()),
                "Qapi", null, new QapiGen.CodeGen.GenerationOptions(Enum.Parse<QapiGen.CodeGen.GenerationScope>(scope), commands));
            System.Collections.Generic.IReadOnlyList<QapiGen.CodeGen.GeneratedSource> texts = QapiGen.CodeGen.CodeGenerator.EmitAll(spec, _ => true);
            Assert.Equal(texts.Select(t => t.HintName).OrderBy(n => n, StringComparer.Ordinal),
                Directory.GetFiles(dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            foreach (QapiGen.CodeGen.GeneratedSource text in texts)
            {
                Assert.True(System.Text.Encoding.UTF8.GetBytes(text.Text).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, text.HintName))), text.HintName);
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Fact]
    public void GenerateReportsSchemaErrors()
    {
        string bad = Path.Combine(Path.GetTempPath(), "qapigen-bad-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(bad, "{ 'enum': 'Foo', 'data': [ 'a' ] }\n{ 'struct': 'Bar', 'data': { 'x': 'nope' } }\n");
        var err = new StringWriter();
        TextWriter old = Console.Error;
        Console.SetError(err);
        try
        {
            Assert.Equal(1, GenerateCommand.Run([bad, "-o", Path.GetTempPath()]));
        }
        finally
        {
            Console.SetError(old);
            File.Delete(bad);
        }
        Assert.Contains(":2: member 'x' uses unknown type 'nope'", err.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("CONFIG_TEST")]
    [InlineData("ALL")]
    public void IntrospectPrintsTheReplyTheGeneratedCodeGives(string symbol)
    {
        var output = new StringWriter();
        TextWriter old = Console.Out;
        Console.SetOut(output);
        try
        {
            string[] args = symbol.Length == 0 ? new[] { SchemaPath } : new[] { SchemaPath, "-D", symbol };
            Assert.Equal(0, IntrospectCommand.Run(args));
        }
        finally
        {
            Console.SetOut(old);
        }
        string[] symbols = symbol switch { "" => Array.Empty<string>(), "ALL" => new[] { "CONFIG_TEST", "CONFIG_OFF" }, _ => new[] { symbol } };
        (Microsoft.CodeAnalysis.Compilation _, ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> _, Microsoft.CodeAnalysis.GeneratorDriverRunResult? result) = Harness.Run(Harness.TestSchema(), symbols);
        string intro = result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith("Introspection.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        string reply = output.ToString();
        Assert.StartsWith("{\"return\": [{", reply);
        Assert.EndsWith("]}\n", reply);
        string json = reply.Substring("{\"return\": ".Length, reply.Length - "{\"return\": ".Length - 2);
        Assert.Contains(QapiGen.CodeGen.CsNames.U8(json), intro);
        Assert.Equal(symbol is "ALL", reply.Contains("\"cyan\""));
        Assert.Equal(symbol is not "", reply.Contains("\"blue\""));
    }
}
