using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using QapiGen.Cli.Commands;
using QapiGen.CodeGen;
using QapiGen.Schema.Model;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// A generated client method takes <c>fds</c> only for a command that consumes passed fds: QEMU's <c>getfd</c>
/// and <c>add-fd</c> by default, the item's <c>FdCommands</c> (or <c>qapigen generate --fd-commands</c>) when given.
/// </summary>
[Collection("Console")]
public class FdCommandsTests
{
    /// <summary>
    /// The public methods of <c>QapiClient</c> in a generated client file that have an <c>fds</c> parameter, with
    /// every symbol its conditions test defined (QEMU's getfd is <c>#if CONFIG_POSIX</c>).
    /// </summary>
    private static string[] MethodsWithFds(string clientSource)
    {
        string[] symbols = System.Text.RegularExpressions.Regex.Matches(clientSource, @"^#if (.*)$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .SelectMany(m => System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, @"[A-Za-z_][A-Za-z0-9_]*").Select(s => s.Value))
            .Distinct().ToArray();
        var methods = CSharpSyntaxTree.ParseText(clientSource, new CSharpParseOptions(preprocessorSymbols: symbols)).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.Modifiers.Any(x => x.Text == "public")).ToList();
        Assert.Contains(methods, m => m.Identifier.Text == "QueryThingsAsync" || m.Identifier.Text == "QueryStatusAsync");
        return methods.Where(m => m.ParameterList.Parameters.Any(p => p.Identifier.Text == "fds"))
            .Select(m => m.Identifier.Text).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    private static string Client(GeneratorDriverRunResult result) =>
        result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Client.g.cs", StringComparison.Ordinal)).SourceText.ToString();

    [SharedFact("qemu-schemas")]
    public void QemuV820ClientTakesFdsOnlyOnGetfdAndAddFd()
    {
        List<(string Path, string Text, bool Main)> files = Qemu.Schema()!;
        SchemaSpec spec = SpecBuilder.Build(QapiSchema.Load(files.Single(f => f.Main).Path), "Qemu");
        Assert.True(spec.Commands.Count > 200);
        Assert.Equal(["AddFdAsync", "GetfdAsync"], MethodsWithFds(CodeGenerator.Emit(spec, QapiGen.CodeGen.OutputKind.Client, _ => false).Text));
    }

    [Fact]
    public void TheDefaultAppliesToASchemaOfOurOwnAndFdCommandsReplacesIt()
    {
        // The test schema has add-fd (QEMU's) and add-fd-like (its own).
        (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) = Harness.Run(Harness.TestSchema(), ["CONFIG_TEST"]);
        Assert.Empty(diagnostics);
        Assert.Equal(["AddFdAsync"], MethodsWithFds(Client(result)));

        (output, diagnostics, result) = Harness.Run(Harness.TestSchema(), ["CONFIG_TEST"],
            mainMetadata: new Dictionary<string, string> { ["QapiFdCommands"] = "add-fd-like,query-th*" });
        Assert.Empty(diagnostics);
        Assert.Empty(Harness.Problems(output));
        Assert.Equal(["AddFdLikeAsync", "QueryThingsAsync"], MethodsWithFds(Client(result)));
    }

    [Fact]
    public void AnFdCommandsPatternThatNamesNoCommandIsAWarning()
    {
        (Compilation _, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult _) = Harness.Run(Harness.TestSchema(), ["CONFIG_TEST"],
            mainMetadata: new Dictionary<string, string> { ["QapiFdCommands"] = "add-fd,getfdd" });
        Diagnostic warning = Assert.Single(diagnostics);
        Assert.Equal("QAPI0102", warning.Id);
        Assert.Contains("FdCommands pattern 'getfdd' matches no command of the schema", warning.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateTakesFdCommandsToo()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-fd-" + Guid.NewGuid().ToString("N"));
        try
        {
            string schema = Path.Combine(AppContext.BaseDirectory, "schema", "qapi-schema.json");
            Assert.Equal(0, GenerateCommand.Run([schema, "-o", dir, "-n", "Test.Qapi", "--fd-commands", "add-fd-like"]));
            Assert.Equal(["AddFdLikeAsync"], MethodsWithFds(File.ReadAllText(Path.Combine(dir, "Test.Qapi.Client.g.cs"))));
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
