using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using QapiGen.Cli;
using QapiGen.Cli.Commands;
using QapiGen.CodeGen;
using QapiGen.Schema.Model;
using QapiGen.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Generator.Tests;

/// <summary>
/// Generation scopes (<c>Generate="Client|Server|Types|All"</c>) and subsets (<c>Commands</c> / <c>Events</c>):
/// each compiles cleanly, emits only its side's files, and a server's introspection lists exactly what it serves.
/// </summary>
public class ScopeTests(ITestOutputHelper output)
{
    /// <summary>The host's own schema (schema/ at the repository root), as generator inputs.</summary>
    internal static List<(string Path, string Text, bool Main)> HostSchema() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "schema"), "*.json").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f), Path.GetFileName(f) == "qapi-schema.json")).ToList();

    internal static Dictionary<string, string> Metadata(string generate, string? commands = null, string? events = null)
    {
        var m = new Dictionary<string, string> { ["QapiGenerate"] = generate };
        if (commands != null)
        {
            m["QapiCommands"] = commands;
        }

        if (events != null)
        {
            m["QapiEvents"] = events;
        }

        return m;
    }

    private static string[] Kinds(GeneratorDriverRunResult result) =>
        result.Results.Single().GeneratedSources.Select(s => s.HintName.Split('.')[^3]).OrderBy(k => k, StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("All", "Client,Commands,Events,Introspection,Json,Support,Types")]
    [InlineData("client", "Client,Events,Json,Support,Types")]
    [InlineData("Server", "Commands,Events,Introspection,Json,Support,Types")]
    [InlineData("Types", "Support,Types")]
    public void HostSchemaCompilesCleanlyInEachScope(string scope, string files)
    {
        (Compilation? compilation, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = Harness.Run(HostSchema(), mainMetadata: Metadata(scope));
        Assert.Empty(diagnostics);
        Assert.Equal(files.Split(','), Kinds(result));
        List<Diagnostic> problems = Harness.Problems(compilation);
        Assert.True(problems.Count == 0, Harness.Format(problems));
    }

    [Theory]
    [InlineData("Client")]
    [InlineData("Server")]
    [InlineData("All")]
    public void HostSchemaSubsetCompilesCleanlyAndKeepsOnlyWhatItNames(string scope)
    {
        (Compilation? compilation, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = Harness.Run(HostSchema(),
            mainMetadata: Metadata(scope, "query-fd*,add-fd,query-version;!query-version", "STOP"));
        Assert.Empty(diagnostics);
        List<Diagnostic> problems = Harness.Problems(compilation);
        Assert.True(problems.Count == 0, Harness.Format(problems));
        string types = result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Types.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        // Reached: add-fd's return value and query-fdsets' elements; not reached: the chardev and migration types.
        Assert.Contains("class AddfdInfo", types);
        Assert.Contains("class FdsetInfo", types);
        Assert.DoesNotContain("class ChardevBackend", types);
        Assert.DoesNotContain("class MigrationInfo", types);
        GeneratedSourceResult client = result.Results.Single().GeneratedSources.SingleOrDefault(s => s.HintName.EndsWith(".Client.g.cs", StringComparison.Ordinal));
        if (client.SourceText != null)
        {
            string text = client.SourceText.ToString();
            Assert.Contains("AddFdAsync(", text);
            Assert.Contains("QueryFdsetsAsync(", text);
            Assert.DoesNotContain("QueryVersionAsync(", text);
        }
    }

    [Fact]
    public void ASubsetPatternThatNamesNothingIsALocatedWarning()
    {
        List<(string Path, string Text, bool Main)> files = HostSchema();
        (Compilation _, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = Harness.Run(files, mainMetadata: Metadata("Client", "query-version,query-nothing-*", "NO_SUCH_EVENT"));
        var warnings = diagnostics.Where(d => d.Id == "QAPI0102").ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(DiagnosticSeverity.Warning, w.Severity));
        Assert.All(warnings, w => Assert.Equal(files.Single(f => f.Main).Path, w.Location.GetLineSpan().Path));
        Assert.Contains(warnings, w => w.GetMessage().Contains("'query-nothing-*'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.GetMessage().Contains("'NO_SUCH_EVENT'", StringComparison.Ordinal));
        // What the subset does name is still generated.
        Assert.Contains(result.Results.Single().GeneratedSources, s => s.SourceText.ToString().Contains("QueryVersionAsync(", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownScopeIsAnError()
    {
        (Compilation _, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = Harness.Run(HostSchema(), mainMetadata: Metadata("Clients"));
        Assert.Equal("QAPI0006", Assert.Single(diagnostics).Id);
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void IntrospectionOfASubsetListsWhatIsServedAndNothingMore()
    {
        List<(string Path, string Text, bool Main)> files = HostSchema();
        (Compilation? compilation, System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = Harness.Run(files, mainMetadata: Metadata("Server", "query-version;query-status;query-qmp-schema", "STOP"));
        Assert.Empty(diagnostics);
        Assert.Empty(Harness.Problems(compilation));
        string introspection = result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Introspection.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        var schema = QapiSchema.Load(files.Single(f => f.Main).Path);
        string json = SpecBuilder.Build(schema, "Test.Qapi", null,
            new GenerationOptions(GenerationScope.Server, "query-version;query-status;query-qmp-schema", "STOP")).Introspection.Render(_ => false);
        Assert.Contains(CsNames.U8(json), introspection);
        var entries = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        string[] Names(string meta) => entries.Where(e => e.GetProperty("meta-type").GetString() == meta)
            .Select(e => e.GetProperty("name").GetString()!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        // query-commands is left out of the subset, but every server answers it: the built-in is listed instead.
        Assert.Equal(["qmp_capabilities", "query-commands", "query-qmp-schema", "query-status", "query-version"], Names("command"));
        Assert.Equal(["STOP"], Names("event"));

        // Every type listed is one a served command or event uses, through any number of steps, and the reverse.
        var byName = entries.ToDictionary(e => e.GetProperty("name").GetString()!);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>(entries.Where(e => e.GetProperty("meta-type").GetString() is "command" or "event").Select(e => e.GetProperty("name").GetString()!));
        while (work.Count > 0)
        {
            string name = work.Pop();
            if (!reached.Add(name))
            {
                continue;
            }

            Assert.True(byName.TryGetValue(name, out JsonElement e), $"'{name}' is used but not listed");
            foreach (string? key in new[] { "arg-type", "ret-type", "element-type" })
            {
                if (e.TryGetProperty(key, out JsonElement t))
                {
                    work.Push(t.GetString()!);
                }
            }
            foreach (string? list in new[] { "members", "variants" })
            {
                if (e.TryGetProperty(list, out JsonElement ms))
                {
                    foreach (JsonElement m in ms.EnumerateArray())
                    {
                        if (m.TryGetProperty("type", out JsonElement t))
                        {
                            work.Push(t.GetString()!); // enum members have none
                        }
                    }
                }
            }
        }
        Assert.Equal(byName.Keys.OrderBy(n => n, StringComparer.Ordinal), reached.OrderBy(n => n, StringComparer.Ordinal));

        // The dispatcher's command table serves the same commands.
        string commands = result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith(".Commands.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("case \"query-version\": info =", commands);
        Assert.DoesNotContain("case \"query-fdsets\": info =", commands);
    }

    [Theory]
    [InlineData("query-*", "query-version", true)]
    [InlineData("query-*", "qmp_capabilities", false)]
    [InlineData("query-*;!query-fd*", "query-fdsets", false)]
    [InlineData("query-*, !query-fd*", "query-status", true)]
    [InlineData("!migrate*", "add-fd", true)]
    [InlineData("!migrate*", "migrate-incoming", false)]
    [InlineData("blockdev-?dd", "blockdev-add", true)]
    [InlineData("migrate", "migrate-incoming", false)]
    [InlineData("STOP", "stop", false)]
    public void Name_filters_are_globs_with_exclusions(string list, string name, bool selected) =>
        Assert.Equal(selected, NameFilter.Parse(list)!.Matches(name));

    /// <summary>
    /// QEMU v8.2.0 in a scope or subset: 0 errors and 0 warnings, no symbols defined and every symbol defined.
    /// Also prints the bytes, for comparison with the full output.
    /// </summary>
    [SharedTheory("qemu-schemas")]
    [InlineData("Client", null)]
    [InlineData("Server", null)]
    [InlineData("Types", null)]
    [InlineData("Client", "query-block*,blockdev-*")]
    [InlineData("Server", "query-block*,blockdev-*")]
    public void V820ScopeCompilesCleanly(string scope, string? commands)
    {
        List<(string Path, string Text, bool Main)> files = Qemu.Schema()!;
        foreach (bool all in new[] { false, true })
        {
            Dictionary<string, string> metadata = Metadata(scope, commands, commands == null ? null : "BLOCK_JOB_*");
            (Compilation Output, System.Collections.Immutable.ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result) run = Harness.Run(files, mainMetadata: metadata);
            if (all)
            {
                run = Harness.Run(files, Qemu.AllSymbols(run.Result), mainMetadata: metadata);
            }

            Assert.Empty(run.GeneratorDiagnostics);
            output.WriteLine($"{scope} {commands}: {run.Result.Results.Single().GeneratedSources.Sum(s => s.SourceText.Length):N0} chars, every symbol: {all}");
            List<Diagnostic> problems = Harness.Problems(run.Output);
            Assert.True(problems.Count == 0, problems.Count + " diagnostics:\n" + Harness.Format(problems));
        }
    }
}

/// <summary><c>qapigen generate --generate ... --commands ... --events ...</c> writes what the generator adds.</summary>
[Collection("Console")]
public class ScopeCliTests
{
    [Fact]
    public void CliGeneratesAScopeAndASubsetAsTheGeneratorDoes()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-scope-" + Guid.NewGuid().ToString("N"));
        try
        {
            List<(string Path, string Text, bool Main)> files = ScopeTests.HostSchema();
            string main = files.Single(f => f.Main).Path;
            Assert.Equal(0, GenerateCommand.Run([main, "-o", dir, "-n", "Test.Qapi", "--generate", "client", "--commands", "query-fd*;add-fd", "--events", "STOP"]));
            (Compilation _, System.Collections.Immutable.ImmutableArray<Diagnostic> _, GeneratorDriverRunResult? result) = Harness.Run(files, mainMetadata: ScopeTests.Metadata("Client", "query-fd*,add-fd", "STOP"));
            System.Collections.Immutable.ImmutableArray<GeneratedSourceResult> generated = result.Results.Single().GeneratedSources;
            Assert.Equal(generated.Select(g => g.HintName).OrderBy(n => n), Directory.GetFiles(dir).Select(Path.GetFileName).OrderBy(n => n));
            foreach (GeneratedSourceResult g in generated)
            {
                Assert.Equal(g.SourceText.ToString(), File.ReadAllText(Path.Combine(dir, g.HintName)));
            }

            Assert.Equal(ExitCodes.Usage, GenerateCommand.Run([main, "-o", dir, "--generate", "both"]));
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
