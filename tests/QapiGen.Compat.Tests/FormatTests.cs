using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>Every format carries the same finding, its rule id and its location; schema errors too.</summary>
public sealed class FormatTests : IDisposable
{
    private readonly TempSchemas _t = new();
    private readonly string _dir;

    public FormatTests()
    {
        _t.WriteRaw("old.json", "{ 'command': 'ping' }\n{ 'command': 'eject',\n  'data': { 'id': 'str', '*force': 'bool' } }\n");
        _t.WriteRaw("new.json", "{ 'command': 'ping' }\n{ 'command': 'eject',\n  'data': { 'id': 'int' } }\n");
        _dir = Path.GetDirectoryName(_t.WriteRaw("bad.json", "{ 'command': 'ping' }\n{ 'command': 'Bad_Name' }\n"))!;
    }

    public void Dispose() => _t.Dispose();

    private Task<(int Code, string Out, string Err)> Run(params string[] args) => CompatRun.RunAsync(_dir, args);

    [Fact]
    public async Task TextIsOneFindingPerLineFileLineColClassKind()
    {
        (int code, string? output, string _) = await Run("old.json", "new.json");
        Assert.Equal(1, code);
        string[] lines = output.TrimEnd('\n').Split('\n');
        var pattern = new Regex(@"^(?<file>[^:]+):(?<line>\d+):(?<col>\d+): (?<class>[a-z-]+): (?<kind>[a-z-]+): (?<msg>.*)$");
        var findings = lines.Where(l => pattern.IsMatch(l)).ToList();
        Assert.Equal(2, findings.Count);
        Assert.Contains("new.json:3:13: breaking-for-senders: type-changed: eject.id: type changed from str to int [input eject(arguments).id]", findings);
        Assert.Contains("old.json:3:26: breaking-for-senders: member-removed: eject.force: member 'force' removed [input eject(arguments).force]", findings);
        Assert.StartsWith("old.json -> new.json: 2 breaking for senders", lines[^1]);
    }

    [Fact]
    public async Task JsonHasLocationObjectsAndTheRuleId()
    {
        (int code, string? output, string _) = await Run("old.json", "new.json", "--format", "json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("summary").GetProperty("breaking").GetBoolean());
        JsonElement f = doc.RootElement.GetProperty("findings").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "member-removed");
        Assert.Equal("breaking-for-senders", f.GetProperty("class").GetString());
        Assert.Equal("eject", f.GetProperty("definition").GetString());
        Assert.Equal("force", f.GetProperty("member").GetString());
        JsonElement loc = f.GetProperty("old-location");
        Assert.Equal("old.json", loc.GetProperty("file").GetString());
        Assert.Equal(3, loc.GetProperty("line").GetInt32());
        Assert.Equal(26, loc.GetProperty("column").GetInt32());
        Assert.False(f.TryGetProperty("new-location", out _));
        Assert.Equal("old.json", f.GetProperty("location").GetProperty("file").GetString());
    }

    [Fact]
    public async Task GitHubActionsCommandsAnnotateTheSchemaLine()
    {
        (int code, string? output, string _) = await Run("old.json", "new.json", "--format", "github-actions");
        Assert.Equal(1, code);
        Assert.Contains("::error file=new.json,line=3,col=13,title=qapigen compat%3A breaking-for-senders%3A type-changed::eject.id: type changed from str to int [input eject(arguments).id]", output);
        Assert.Contains("::error file=old.json,line=3,col=26,title=qapigen compat%3A breaking-for-senders%3A member-removed::", output);
    }

    [Fact]
    public void GitHubActionsEscapeWhatTheRunnerWouldSplitOn()
    {
        string line = GitHubActionsFormat.Command("error", new SourceLocation("a,b:c.json", 1, 2), "t:1,2", "50% done\nnext");
        Assert.Equal("::error file=a%2Cb%3Ac.json,line=1,col=2,title=t%3A1%2C2::50%25 done%0Anext", line);
    }

    [Fact]
    public async Task JUnitFailsACasePerBreak()
    {
        (int code, string? output, string _) = await Run("old.json", "new.json", "--format", "junit", "--all");
        Assert.Equal(1, code);
        var doc = XDocument.Parse(output);
        XElement suite = doc.Root!.Element("testsuite")!;
        Assert.Equal("2", suite.Attribute("failures")!.Value);
        var cases = suite.Elements("testcase").ToList();
        XElement removed = cases.Single(c => c.Attribute("classname")!.Value == "qapigen.compat.member-removed");
        Assert.Equal("eject.force [eject(arguments).force]", removed.Attribute("name")!.Value);
        Assert.Equal("member-removed", removed.Element("failure")!.Attribute("type")!.Value);
        Assert.Equal("old.json", removed.Attribute("file")!.Value);
        Assert.Equal("3", removed.Attribute("line")!.Value);
    }

    [Fact]
    public async Task JUnitWithNothingToListHasOnePassingCase()
    {
        (int code, string? output, string _) = await Run("new.json", "new.json", "--format", "junit");
        Assert.Equal(0, code);
        XElement suite = XDocument.Parse(output).Root!.Element("testsuite")!;
        Assert.Equal("1", suite.Attribute("tests")!.Value);
        Assert.Equal("0", suite.Attribute("failures")!.Value);
    }

    [Fact]
    public async Task Sarif210ResultsNameTheirRuleAndRegion()
    {
        (int code, string? output, string _) = await Run("old.json", "new.json", "--format", "sarif");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
        JsonElement run = doc.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        JsonElement result = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "member-removed");
        Assert.Equal("member-removed", rules[result.GetProperty("ruleIndex").GetInt32()]);
        Assert.Equal("error", result.GetProperty("level").GetString());
        JsonElement physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("old.json", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(3, physical.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(26, physical.GetProperty("region").GetProperty("startColumn").GetInt32());
        Assert.True(run.GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean());
    }

    [Theory]
    [InlineData("json")]
    [InlineData("github-actions")]
    [InlineData("junit")]
    [InlineData("sarif")]
    public async Task ASchemaErrorIsReportedInTheFormatWithExit2(string format)
    {
        (int code, string? output, string? err) = await Run("old.json", "bad.json", "--format", format);
        Assert.Equal(2, code);
        Assert.Contains("bad.json:2: name of command must not use uppercase or '_'", err);
        switch (format)
        {
            case "json":
                using (var doc = JsonDocument.Parse(output))
                {
                    Assert.Equal(2, doc.RootElement.GetProperty("error").GetProperty("location").GetProperty("line").GetInt32());
                }

                break;
            case "github-actions":
                Assert.StartsWith("::error file=bad.json,line=2,title=qapigen compat%3A input-error::", output);
                break;
            case "junit":
                Assert.Equal("input-error", XDocument.Parse(output).Descendants("error").Single().Attribute("type")!.Value);
                break;
            case "sarif":
                using (var doc = JsonDocument.Parse(output))
                {
                    JsonElement inv = doc.RootElement.GetProperty("runs")[0].GetProperty("invocations")[0];
                    Assert.False(inv.GetProperty("executionSuccessful").GetBoolean());
                    Assert.Contains("Bad_Name", inv.GetProperty("toolExecutionNotifications")[0].GetProperty("message").GetProperty("text").GetString());
                }
                break;
        }
    }

    [Fact]
    public async Task LocationsFromAGitRevisionAreNotAnnotatedAsFiles()
    {
        using GitRepo repo = await GitRepo.CreateAsync();
        repo.Write("api.json", "{ 'command': 'ping' }\n{ 'command': 'stop' }\n", schemaQuotes: false);
        await repo.CommitAsync("one");
        repo.Write("api.json", "{ 'command': 'ping' }\n", schemaQuotes: false);
        (int code, string? output, string _) = await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "api.json", "--format", "github-actions");
        Assert.Equal(1, code);
        Assert.Contains("::error title=qapigen compat%3A breaking-for-senders%3A command-removed::HEAD:./api.json:2:1: stop: command 'stop' removed", output);
        (code, output, _) = await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "api.json", "--format", "sarif");
        using var doc = JsonDocument.Parse(output);
        JsonElement result = doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.False(result.GetProperty("locations")[0].TryGetProperty("physicalLocation", out _));
        Assert.Contains("HEAD:./api.json:2:1", result.GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public async Task SomethingGoneSinceARevisionIsAnnotatedAtItsDefinitionInTheNewVersion()
    {
        using GitRepo repo = await GitRepo.CreateAsync();
        repo.Write("schema/block.json", "{ 'command': 'ping' }\n{ 'command': 'eject',\n  'data': { 'id': 'str', '*force': 'bool' } }\n", schemaQuotes: false);
        await repo.CommitAsync("one");
        repo.Write("schema/block.json", "{ 'command': 'ping' }\n\n{ 'command': 'eject',\n  'data': { 'id': 'str' } }\n", schemaQuotes: false);
        (int code, string? output, string _) = await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "schema/block.json", "--format", "github-actions");
        Assert.Equal(1, code);
        Assert.Contains("::error file=schema/block.json,line=3,col=1,title=qapigen compat%3A breaking-for-senders%3A member-removed::"
            + "HEAD:schema/block.json:3:26: eject.force: member 'force' removed [input eject(arguments).force]", output);
        (_, output, _) = await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "schema/block.json", "--format", "sarif");
        using var doc = JsonDocument.Parse(output);
        JsonElement result = doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        JsonElement physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("schema/block.json", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(3, physical.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Contains("(at HEAD:schema/block.json:3:26)", result.GetProperty("message").GetProperty("text").GetString());
    }

    [SharedFact(SharedData.QemuSchemas)]
    public void EveryRuleIdOverQemuHistoryIsInTheCatalogue()
    {
        string[] versions = new[] { "v5.2.0", "v6.0.0", "v6.2.0", "v7.0.50", "v8.2.0" };
        for (int i = 0; i + 1 < versions.Length; i++)
        {
            IReadOnlyList<Finding> findings = CompatChecker.Compare(SchemaSnapshotLoader.Load(SharedData.Schema(versions[i]), true),
                SchemaSnapshotLoader.Load(SharedData.Schema(versions[i + 1]), true));
            foreach (Finding f in findings)
            {
                Assert.True(CompatRules.All.ContainsKey(f.Kind), $"rule id '{f.Kind}' is not in CompatRules");
            }
        }
    }
}
