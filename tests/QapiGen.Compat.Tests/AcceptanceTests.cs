using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>The acceptance file: accepted breaks do not fail the gate, are shown as accepted; stale entries are reported.</summary>
public sealed class AcceptanceTests : IDisposable
{
    private readonly TempSchemas _t = new();
    private readonly string _dir;

    public AcceptanceTests()
    {
        _t.WriteRaw("old.json", "{ 'command': 'ping' }\n{ 'command': 'stop' }\n{ 'command': 'eject', 'data': { 'id': 'str', '*force': 'bool' } }\n");
        _dir = Path.GetDirectoryName(_t.WriteRaw("new.json", "{ 'command': 'ping' }\n{ 'command': 'eject', 'data': { 'id': 'str' } }\n"))!;
    }

    public void Dispose() => _t.Dispose();

    private void Config(string name, string json) => File.WriteAllText(Path.Combine(_dir, name), json);

    [Fact]
    public async Task AcceptingEveryBreakPassesTheGateAndShowsThemAsAccepted()
    {
        Config("qapigen-compat.json", """
            {
              // known breaks of this release
              "accept": [
                { "kind": "command-removed", "definition": "stop", "reason": "stop was never shipped" },
                { "path": "eject(arguments).force", "reason": "force did nothing" }
              ]
            }
            """);
        (int code, string? output, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json");
        Assert.Equal(0, code);
        Assert.Contains("command-removed: stop: command 'stop' removed [input stop] (accepted: stop was never shipped)", output);
        Assert.Contains("member-removed: eject.force: member 'force' removed [input eject(arguments).force] (accepted: force did nothing)", output);
        Assert.Contains("0 breaking for senders, 0 breaking for readers, 0 covered by a feature, 0 compatible, 2 accepted", output);
    }

    [Fact]
    public async Task ABreakNotAcceptedStillFails()
    {
        Config("qapigen-compat.json", """{ "accept": [ { "kind": "command-removed", "reason": "any command may go" } ] }""");
        (int code, string? output, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json");
        Assert.Equal(1, code);
        Assert.Contains("(accepted: any command may go)", output);
        Assert.Contains("1 breaking for senders", output);
    }

    [Fact]
    public async Task AnEntryThatAcceptsNothingIsReportedWithItsLocation()
    {
        Config("qapigen-compat.json", """
            { "accept": [
                { "kind": "command-removed", "reason": "ok" },
                { "kind": "member-removed", "reason": "ok" },
                { "definition": "long-gone", "reason": "fixed since" }
            ] }
            """);
        (int code, string? output, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json");
        Assert.Equal(0, code);
        Assert.Contains("qapigen-compat.json:4:5: warning: unused-acceptance: this entry accepts no breaking finding (definition long-gone): remove it", output);
        (code, output, _) = await CompatRun.RunAsync(_dir, "old.json", "new.json", "--format", "json");
        using var doc = JsonDocument.Parse(output);
        JsonElement unused = doc.RootElement.GetProperty("unused-acceptances").EnumerateArray().Single();
        Assert.Equal(4, unused.GetProperty("location").GetProperty("line").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("unused-acceptances").GetInt32());
    }

    [Fact]
    public async Task ConfigOptionNamesAnotherFileAndNoConfigIgnoresTheDefault()
    {
        Config("qapigen-compat.json", """{ "accept": [ { "kind": "command-removed", "reason": "a" }, { "kind": "member-removed", "reason": "b" } ] }""");
        Assert.Equal(0, (await CompatRun.RunAsync(_dir, "old.json", "new.json")).Code);
        Assert.Equal(1, (await CompatRun.RunAsync(_dir, "old.json", "new.json", "--no-config")).Code);
        Config("other.json", """{ "accept": [ { "kind": "member-removed", "reason": "b" } ] }""");
        (int code, string? output, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json", "--config", "other.json");
        Assert.Equal(1, code);
        Assert.Contains("(accepted: b)", output);
        Assert.Equal(2, (await CompatRun.RunAsync(_dir, "old.json", "new.json", "--config", "missing.json")).Code);
    }

    [Theory]
    [InlineData("""{ "accept": [ { "kind": "command-removed" } ] }""", "needs a \"reason\"")]
    [InlineData("""{ "accept": [ { "reason": "everything" } ] }""", "it would accept everything")]
    [InlineData("""{ "accept": [ { "defintion": "stop", "reason": "typo" } ] }""", "unknown key \"defintion\"")]
    [InlineData("""{ "accepted": [] }""", "unknown key \"accepted\"")]
    [InlineData("""{ "accept": [ { "kind": 1, "reason": "x" } ] }""", "\"kind\" must be a string")]
    [InlineData("""{ "accept": [ """, "not valid JSON")]
    public async Task A_bad_acceptance_file_is_a_located_input_error(string json, string message)
    {
        Config("qapigen-compat.json", json);
        (int code, string _, string? err) = await CompatRun.RunAsync(_dir, "old.json", "new.json");
        Assert.Equal(2, code);
        Assert.Contains("qapigen-compat.json:1:", err);
        Assert.Contains(message, err);
    }

    [Fact]
    public async Task AcceptedFindingsInTheMachineFormats()
    {
        Config("qapigen-compat.json", """{ "accept": [ { "kind": "command-removed", "reason": "a" }, { "kind": "member-removed", "reason": "b" } ] }""");
        (int _, string? sarif, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json", "--format", "sarif");
        using var doc = JsonDocument.Parse(sarif);
        JsonElement suppression = doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("suppressions")[0];
        Assert.Equal("accepted", suppression.GetProperty("status").GetString());
        (int _, string? gha, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json", "--format", "github-actions");
        Assert.DoesNotContain("::error", gha);
        Assert.Contains("::notice file=old.json,line=2,col=1,title=qapigen compat%3A breaking-for-senders%3A command-removed (accepted)::", gha);
        (int _, string? junit, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json", "--format", "junit");
        Assert.Contains("<skipped message=\"accepted: a\" />", junit);
        Assert.Contains("failures=\"0\"", junit);
    }
}
