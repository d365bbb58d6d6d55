using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QapiGen.Cli.Commands;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// A baseline (<c>Baseline="..."</c> on the QapiSchema item, <c>qapigen generate --baseline</c>): what the older
/// schema lacks is marked with a doc line and <c>[QapiNotInBaseline]</c>; output members mandatory in the schema but
/// absent from the baseline become nullable; types are matched by the path that reaches them, not by name.
/// </summary>
[Collection("Console")]
public class BaselineTests
{
    private const string Schema = """
        { 'enum': 'Mode', 'data': [ 'one', 'two' ] }
        { 'struct': 'Info', 'data': { 'a': 'int', 'b': 'int', '*c': 'str', 'mode': 'Mode' } }
        { 'struct': 'Shared', 'data': { 'x': 'int', 'y': 'int' } }
        { 'command': 'query-info', 'returns': 'Info' }
        { 'command': 'query-shared', 'returns': 'Shared' }
        { 'command': 'set-shared', 'data': { 'value': 'Shared', 'must': 'int', '*flag': 'bool' } }
        { 'command': 'new-command' }
        { 'event': 'CHANGED', 'data': { 'old': 'int', 'new': 'int' } }
        { 'event': 'NEW_EVENT' }
        """;

    // Type names differ from the schema's (OldInfo, Other): matching is by path.
    private const string Baseline = """
        { 'enum': 'OldMode', 'data': [ 'one' ] }
        { 'struct': 'OldInfo', 'data': { 'a': 'int', 'mode': 'OldMode' } }
        { 'struct': 'Other', 'data': { 'x': 'int', 'y': 'int' } }
        { 'command': 'query-info', 'returns': 'OldInfo' }
        { 'command': 'query-shared', 'returns': 'Other' }
        { 'command': 'set-shared', 'data': { 'value': 'Other' } }
        { 'event': 'CHANGED', 'data': { 'old': 'int' } }
        """;

    private static Dictionary<string, string> Generate()
    {
        (string, string, bool)[] files = new[]
        {
            (Harness.Root + "qapi-schema.json", Schema, true),
            ("/proj/old/qapi-schema.json", Baseline, false),
        };
        (Microsoft.CodeAnalysis.Compilation? output, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> diagnostics, Microsoft.CodeAnalysis.GeneratorDriverRunResult? result) = Harness.Run(files, mainMetadata: new Dictionary<string, string> { ["QapiBaseline"] = "/proj/old/qapi-schema.json" });
        Assert.Empty(diagnostics);
        Assert.True(Harness.Problems(output).Count == 0, Harness.Format(Harness.Problems(output)));
        return result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName.Split('.')[^3], s => s.SourceText.ToString());
    }

    private static string Declaration(string text, string property)
    {
        string[] lines = text.Replace('\t', ' ').Split('\n'); // the generated code is indented with tabs
        int i = Array.FindIndex(lines, l => l.Contains(" " + property + " {") || l.TrimEnd().EndsWith(" " + property + ",", StringComparison.Ordinal)
            || l.Contains(" " + property + "(", StringComparison.Ordinal) || l.Contains("class " + property + " ", StringComparison.Ordinal));
        Assert.True(i >= 0, property + " not found");
        return string.Join("\n", lines.Skip(Math.Max(0, i - 4)).Take(5));
    }

    [Fact]
    public void WhatTheBaselineLacksIsMarkedAndOutputMembersBecomeNullable()
    {
        Dictionary<string, string> g = Generate();
        string types = g["Types"];
        Assert.Contains("public required long A { get; set; }", types);
        string b = Declaration(types, "B");
        Assert.Contains("[QapiNotInBaseline(\"old\")]", b);
        Assert.Contains("public long? B { get; set; }", b);
        Assert.Contains("Not in baseline old: nullable here", b);
        Assert.Contains("[QapiNotInBaseline(\"old\")]", Declaration(types, "C"));
        // The schema's types by simple name in the types file (a property named as its type is fine in C#).
        Assert.Contains("public required Mode Mode { get; set; }", types);
        Assert.Contains("[QapiNotInBaseline(\"old\")]", Declaration(types, "Two"));
        Assert.DoesNotContain("QapiNotInBaseline", Declaration(types, "One"));
        // Matched through differently named types: Shared's members are all in the baseline.
        Assert.DoesNotContain("QapiNotInBaseline", Declaration(types, "X"));
        Assert.DoesNotContain("QapiNotInBaseline", Declaration(types, "Y"));

        string events = g["Events"];
        string @new = Declaration(events, "New");
        Assert.Contains("[QapiNotInBaseline(\"old\")]", @new);
        Assert.Contains("public long? New { get; set; }", @new);
        Assert.Contains("public required long Old { get; set; }", events);
        Assert.Contains("[QapiNotInBaseline(\"old\")]", Declaration(events, "NewEventEvent"));
        Assert.DoesNotContain("QapiNotInBaseline", Declaration(events, "ChangedEvent"));

        string client = g["Client"];
        Assert.Contains("[QapiNotInBaseline(\"old\")]", Declaration(client, "NewCommandAsync"));
        Assert.DoesNotContain("QapiNotInBaseline", Declaration(client, "QueryInfoAsync"));
        // Arguments the baseline lacks stay as they are (input) and are listed in the method's doc.
        Assert.Contains("long must,", client);
        Assert.Contains("Arguments not in baseline old: <c>must</c>, <c>flag</c>", client);
    }

    [Fact]
    public void WithoutABaselineNothingIsMarked()
    {
        (Microsoft.CodeAnalysis.Compilation _, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> diagnostics, Microsoft.CodeAnalysis.GeneratorDriverRunResult? result) = Harness.Run([(Harness.Root + "qapi-schema.json", Schema, true)]);
        Assert.Empty(diagnostics);
        string all = string.Concat(result.Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.DoesNotContain("[QapiNotInBaseline(", all);
        Assert.Contains("public required long B { get; set; }", all);
    }

    [Fact]
    public void ABaselineThatCannotBeReadIsReported()
    {
        (Microsoft.CodeAnalysis.Compilation _, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> diagnostics, Microsoft.CodeAnalysis.GeneratorDriverRunResult? result) = Harness.Run([(Harness.Root + "qapi-schema.json", Schema, true)],
            mainMetadata: new Dictionary<string, string> { ["QapiBaseline"] = "/proj/missing/qapi-schema.json" });
        Microsoft.CodeAnalysis.Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("QAPI0004", d.Id);
        Assert.Contains("/proj/missing/qapi-schema.json", d.GetMessage());
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void CliGenerateTakesABaseline()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-baseline-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "old"));
        try
        {
            File.WriteAllText(Path.Combine(dir, "qapi-schema.json"), Schema);
            File.WriteAllText(Path.Combine(dir, "old", "qapi-schema.json"), Baseline);
            string outDir = Path.Combine(dir, "out");
            Assert.Equal(0, GenerateCommand.Run([Path.Combine(dir, "qapi-schema.json"), "-o", outDir, "-n", "Test.Qapi",
                "--baseline", Path.Combine(dir, "old", "qapi-schema.json")]));
            string types = File.ReadAllText(Path.Combine(outDir, "Test.Qapi.Types.g.cs"));
            Assert.Contains("public long? B { get; set; }", types);
            Assert.Contains("[QapiNotInBaseline(\"old\")]", types);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
