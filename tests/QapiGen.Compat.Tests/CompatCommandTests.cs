using System;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>The <c>qapigen compat</c> verb: exit codes, usage, and the older-language hint.</summary>
public sealed class CompatCommandTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    private static Task<(int Code, string Out, string Err)> Run(params string[] args)
        => CompatRun.RunAsync(Environment.CurrentDirectory, args);

    [Fact]
    public async Task NothingBreakingExits0AndAllListsCompatibleChanges()
    {
        string old = _t.Write("old.json", """{ "command": "ping" }""");
        string @new = _t.Write("new.json", "{ \"command\": \"ping\" }\n{ \"command\": \"pong\" }");
        (int code, string? output, string _) = await Run(old, @new);
        Assert.Equal(0, code);
        Assert.DoesNotContain("pong", output);
        (code, output, _) = await Run(old, @new, "--all");
        Assert.Equal(0, code);
        Assert.Contains("new.json:2:1: compatible: command-added: pong: command 'pong' added [input pong]", output);
    }

    [Fact]
    public async Task BreakingExits1AndLocatesTheMemberToTheColumn()
    {
        string old = _t.Write("old.json", "\n{ \"command\": \"eject\", \"data\": { \"id\": \"str\", \"*force\": \"bool\" } }");
        string @new = _t.Write("new.json", "\n\n{ \"command\": \"eject\",\n  \"data\": { \"id\": \"int\" } }");
        (int code, string? output, string _) = await Run(old, @new);
        Assert.Equal(1, code);
        // The changed member where it is now; the removed one where it was.
        Assert.Contains("new.json:4:13: breaking-for-senders: type-changed: eject.id: type changed from str to int [input eject(arguments).id]", output);
        Assert.Contains("old.json:2:46: breaking-for-senders: member-removed: eject.force: member 'force' removed [input eject(arguments).force]", output);
    }

    [Fact]
    public async Task UsageErrorsExit2()
    {
        Assert.Equal(2, (await Run("only-one.json")).Code);
        Assert.Equal(2, (await Run("a", "b", "--bogus")).Code);
        Assert.Equal(2, (await Run("a", "b", "--format", "xml")).Code);
        Assert.Equal(2, (await Run("--against", "git:HEAD", "a", "b")).Code);
        Assert.Equal(2, (await Run("a", "b", "-D")).Code);
    }

    [Fact]
    public async Task SchemaErrorsExit2WithTheLocatedError()
    {
        string good = _t.Write("good.json", "{ \"command\": \"ping\" }");
        string bad = _t.Write("bad.json", "{ \"command\": \"ping\" }\n{ \"command\": \"Bad_Name\" }");
        (int code, string _, string? err) = await Run(good, bad);
        Assert.Equal(2, code);
        Assert.Contains("bad.json:2: name of command must not use uppercase or '_'", err);
        Assert.DoesNotContain("lenient", err);
        (int code2, string _, string? err2) = await Run(_t.WriteRaw("r.json", "[{\"name\": 1}]"), bad);
        Assert.Equal(2, code2);
        Assert.Contains("r.json", err2);
    }

    [Fact]
    public async Task ASchemaErrorInJsonModeIsJsonWithALocationObject()
    {
        string good = _t.Write("good.json", "{ \"command\": \"ping\" }");
        string bad = _t.Write("bad.json", "{ \"command\": \"ping\" }\n{ \"command\": \"Bad_Name\" }");
        (int code, string? output, string _) = await Run(good, bad, "--format", "json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(output);
        JsonElement error = doc.RootElement.GetProperty("error");
        Assert.Equal("input-error", error.GetProperty("kind").GetString());
        Assert.Equal("name of command must not use uppercase or '_'", error.GetProperty("message").GetString());
        Assert.EndsWith("bad.json", error.GetProperty("location").GetProperty("file").GetString());
        Assert.Equal(2, error.GetProperty("location").GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task OlderLanguageIsHintedOnlyWhereLenientGetsPastTheError()
    {
        string old = _t.Write("old.json", """{ "struct": "Aa", "data": { "a": "int" } } { "union": "Uu", "data": { "a": "Aa" } } { "command": "c", "data": { "addr": "Uu" } }""");
        (int code, string _, string? err) = await Run(old, old);
        Assert.Equal(2, code);
        Assert.Contains("hint: this is QEMU's older schema language", err);
        Assert.Contains("--lenient", err);
        Assert.Equal(0, (await Run(old, old, "--lenient")).Code);

        // An error of the current language as much as of the older one: no hint.
        string unrelated = _t.Write("unrelated.json", """{ "command": "c", "data": { "a": "NoSuchType" } }""");
        (code, _, err) = await Run(unrelated, unrelated);
        Assert.Equal(2, code);
        Assert.Contains("NoSuchType", err);
        Assert.DoesNotContain("lenient", err);
    }

    [Fact]
    public async Task HelpPrintsUsageAndExits0()
    {
        (int code, string? output, string _) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("--against REF", output);
    }
}
