using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>The <c>qapigen</c> verbs as a user runs them: a real process, exit codes, stdout and stderr.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Task<(int Code, string Out, string Err)> Qapigen(params string[] args) => QapigenProcess.Run(args);

    [Fact]
    public async Task CheckAcceptsAValidSchema()
    {
        string file = Write("ok.json", "{ 'enum': 'Colour', 'data': [ 'red' ] }\n");
        (int code, string _, string? err) = await Qapigen("check", file);
        Assert.Equal((0, ""), (code, err));
    }

    [Fact]
    public async Task CheckPrintsTheFirstErrorLocatedAndFails()
    {
        string file = Write("bad.json", "{ 'struct': 'Foo',\n  'data': { 'has-bar': 'int' } }\n");
        (int code, string _, string? err) = await Qapigen("check", file);
        Assert.Equal(1, code);
        Assert.Equal($"{file}: In struct 'Foo':\n{file}:1: 'data' member 'has-bar' uses reserved name\n", err);
    }

    [Fact]
    public async Task LenientDocsWarnsAndAccepts()
    {
        string file = Write("docs.json", "##\n# @Foo:\n# @nope: not a member\n##\n{ 'enum': 'Foo', 'data': [ 'a' ] }\n");
        Assert.Equal(1, (await Qapigen("check", file)).Code);
        (int code, string _, string? err) = await Qapigen("check", "--lenient-docs", file);
        Assert.Equal(0, code);
        Assert.Contains($"warning: {file}:1: documented member 'nope' does not exist", err);
    }

    [Fact]
    public async Task DumpPrintsTheModel()
    {
        string file = Write("dump.json", "{ 'command': 'frob', 'data': { '*x': 'int' } }\n");
        (int code, string? stdout, string _) = await Qapigen("dump", file);
        Assert.Equal(0, code);
        Assert.Contains("object q_obj_frob-arg\n    member x: int optional=True\ncommand frob q_obj_frob-arg -> None\n", stdout);
    }

    [Fact]
    public async Task ConformanceComparesOutAndErrAndCounts()
    {
        Write("good.json", "{ 'enum': 'Colour', 'data': [] }\n");
        Write("good.err", "");
        Write("good.out", (await Qapigen("dump", Path.Combine(_dir, "good.json"))).Out);
        Write("bad.json", "{ 'enum': 'e', 'data': [] }\n");
        Write("bad.out", "");
        Write("bad.err", "bad.json: In enum 'e':\nbad.json:1: something else\n");
        (int code, string? stdout, string _) = await Qapigen("conformance", _dir);
        Assert.Equal(1, code);
        Assert.Contains("FAIL bad", stdout);
        Assert.Contains("+ bad.json:1: name of enum must use CamelCase", stdout);
        Assert.EndsWith("1 passed, 1 failed\n", stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("check")]
    [InlineData("check a.json --bogus")]
    public async Task UsageErrorsExitWithTwo(string args)
        => Assert.Equal(2, (await Qapigen(args.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Code);
}
