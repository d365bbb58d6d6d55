using System;
using System.IO;
using System.Text.Json;
using QapiGen.Cli.Commands;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>The <c>qapigen compat</c> verb: output formats and exit codes.</summary>
public sealed class CompatCommandTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CompatCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Nothing_breaking_exits_0_and_all_lists_compatible_changes()
    {
        var old = _t.Write("old.json", """{ "command": "ping" }""");
        var @new = _t.Write("new.json", """{ "command": "ping" }\n{ "command": "pong" }""".Replace("\\n", "\n"));
        var (code, output, _) = Run(old, @new);
        Assert.Equal(0, code);
        Assert.DoesNotContain("pong", output.Split('\n')[0]);
        (code, output, _) = Run(old, @new, "--all");
        Assert.Equal(0, code);
        Assert.Contains("compatible: pong: command 'pong' added", output);
    }

    [Fact]
    public void Breaking_exits_1_and_names_definition_member_and_both_locations()
    {
        var old = _t.Write("old.json", "\n{ \"command\": \"eject\", \"data\": { \"id\": \"str\", \"*force\": \"bool\" } }");
        var @new = _t.Write("new.json", "\n\n{ \"command\": \"eject\", \"data\": { \"id\": \"int\" } }");
        var (code, output, _) = Run(old, @new);
        Assert.Equal(1, code);
        Assert.Contains("breaking-for-senders: eject: id: type changed from str to int", output);
        Assert.Contains("old.json:2", output);
        Assert.Contains("new.json:3", output);
    }

    [Fact]
    public void Json_format_is_machine_readable()
    {
        var old = _t.Write("old.json", """{ "event": "STOP" }""");
        var @new = _t.Write("new.json", """{ "event": "GO" }""");
        var (code, output, _) = Run(old, @new, "--format", "json", "--all");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("summary").GetProperty("breaking").GetBoolean());
        var first = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("breaking-for-readers", first.GetProperty("class").GetString());
        Assert.Equal("event-removed", first.GetProperty("kind").GetString());
        Assert.Equal("STOP", first.GetProperty("definition").GetString());
    }

    [Fact]
    public void Usage_and_schema_errors_exit_2_with_the_located_error()
    {
        Assert.Equal(2, Run("only-one.json").Code);
        Assert.Equal(2, Run("a", "b", "--bogus").Code);
        var bad = _t.Write("bad.json", "{ \"command\": \"ping\" }\n{ \"command\": \"Bad_Name\" }");
        var (code, _, err) = Run(bad, bad);
        Assert.Equal(2, code);
        Assert.Contains("bad.json:2: name of command must not use uppercase or '_'", err);
        var (code2, _, err2) = Run(_t.WriteRaw("r.json", "[{\"name\": 1}]"), bad);
        Assert.Equal(2, code2);
        Assert.Contains("r.json", err2);
    }

    [Fact]
    public void Older_language_needs_lenient()
    {
        var old = _t.Write("old.json", """{ "struct": "Aa", "data": { "a": "int" } } { "union": "Uu", "data": { "a": "Aa" } } { "command": "c", "data": { "addr": "Uu" } }""");
        var (code, _, err) = Run(old, old);
        Assert.Equal(2, code);
        Assert.Contains("--lenient", err);
        Assert.Equal(0, Run(old, old, "--lenient").Code);
    }
}
