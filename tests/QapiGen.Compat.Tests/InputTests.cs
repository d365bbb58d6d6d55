using System;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Compat.Inputs;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>
/// Every input is read once, and a side that cannot be read or loaded is an error (exit 2) with its
/// location, never an empty schema: an empty old side would turn every break into "added".
/// </summary>
public sealed class InputTests : IDisposable
{
    private readonly TempSchemas _t = new();
    private readonly string _dir;
    private readonly string _old;
    private readonly string _new;

    // 'stop' removed: breaking for senders, so a silent pass shows as exit 0.
    private const string OldText = "{ 'command': 'ping' }\n{ 'command': 'stop' }\n";
    private const string NewText = "{ 'command': 'ping' }\n";

    public InputTests()
    {
        _old = _t.WriteRaw("old.json", OldText);
        _new = _t.WriteRaw("new.json", NewText);
        _dir = Path.GetDirectoryName(_old)!;
    }

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task OldSideFromProcessSubstitutionIsReadOnce()
    {
        (int code, string? output, string? err) = await CliProcess.BashAsync(_dir, "qapigen compat <(cat old.json) new.json");
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        Assert.Contains("command-removed: stop", output);
        Assert.Contains("/dev/fd/", output); // the removed command is located in the pipe it came from
    }

    [Fact]
    public async Task APipedSchemaWithIncludesIsAnErrorThatPointsToAgainst()
    {
        File.WriteAllText(Path.Combine(_dir, "main.json"), "{ 'include': 'old.json' }\n");
        (int code, string? output, string? err) = await CliProcess.BashAsync(_dir, "qapigen compat <(cat main.json) new.json");
        Assert.True(code == 2, $"exit {code}\n{output}\n{err}");
        Assert.Contains("can't read include file", err);
        Assert.Contains("hint: a schema read from a pipe has no directory to include files from: compare with --against git:REV", err);
    }

    [Fact]
    public async Task OldSideFromANamedPipeIsReadOnce()
    {
        string fifo = Path.Combine(_dir, "old.fifo");
        (int Code, string Out, string Err) mk = await CliProcess.RunAsync("mkfifo", new[] { fifo }, _dir);
        Assert.Equal(0, mk.Code);
        // A writer in another process: the fifo opens when both ends are there.
        Task<(int Code, string Out, string Err)> writer = CliProcess.RunAsync("sh", new[] { "-c", $"cat old.json > '{fifo}'" }, _dir);
        (int code, string? output, string? err) = await CompatRun.RunAsync(_dir, fifo, "new.json");
        await writer;
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        Assert.Contains("command-removed: stop", output);
    }

    [Theory]
    [InlineData("/dev/stdin")]
    [InlineData("-")]
    public async Task OldSideFromStandardInputIsReadOnce(string name)
    {
        (int code, string? output, string? err) = await CliProcess.QapigenAsync(_dir, OldText, "compat", name, "new.json");
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        Assert.Contains("/dev/stdin:2:1: breaking-for-senders: command-removed: stop", output);
    }

    [Fact]
    public async Task StandardInputGivenForBothSidesIsAnErrorNotAPass()
    {
        (int code, string? output, string? err) = await CliProcess.QapigenAsync(_dir, OldText, "compat", "/dev/stdin", "/dev/stdin");
        Assert.True(code == 2, $"exit {code}\n{output}\n{err}");
        Assert.Contains("/dev/stdin: empty file", err);
    }

    [Fact]
    public async Task AMissingFileIsAnInputError()
    {
        (int code, string _, string? err) = await CompatRun.RunAsync(_dir, "nope.json", "new.json");
        Assert.Equal(2, code);
        Assert.Contains("qapigen compat: can't read schema file 'nope.json': No such file or directory", err);
        (code, _, err) = await CompatRun.RunAsync(_dir, "old.json", "nope.json");
        Assert.Equal(2, code);
        Assert.Contains("qapigen compat: can't read schema file 'nope.json': No such file or directory", err);
    }

    [Fact]
    public async Task ADirectoryIsAnInputError()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        (int code, string _, string? err) = await CompatRun.RunAsync(_dir, "sub", "new.json");
        Assert.Equal(2, code);
        Assert.Contains("qapigen compat: can't read schema file 'sub': Is a directory", err);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\n")]
    public async Task AnEmptyFileIsAnInputError(string text)
    {
        File.WriteAllText(Path.Combine(_dir, "empty.json"), text);
        (int code, string _, string? err) = await CompatRun.RunAsync(_dir, "empty.json", "new.json");
        Assert.Equal(2, code);
        Assert.Contains("empty.json: empty file", err);
    }

    [Theory]
    [InlineData("# only a comment\n")]
    [InlineData("{ 'struct': 'Ss', 'data': { 'a': 'int' } }\n")]
    [InlineData("[]")]
    [InlineData("{\"return\": []}")]
    public async Task ASideWithNoCommandAndNoEventIsAnInputError(string text)
    {
        File.WriteAllText(Path.Combine(_dir, "hollow.json"), text);
        (int code, string _, string? err) = await CompatRun.RunAsync(_dir, "hollow.json", "new.json");
        Assert.Equal(2, code);
        Assert.Contains("hollow.json: defines no command and no event", err);
    }

    [Fact]
    public async Task AnIncludeThatCannotBeReadIsLocatedWhereItIsIncluded()
    {
        File.WriteAllText(Path.Combine(_dir, "main.json"), "{ 'command': 'ping' }\n{ 'include': 'gone.json' }\n");
        (int code, string _, string? err) = await CompatRun.RunAsync(_dir, "main.json", "new.json");
        Assert.Equal(2, code);
        Assert.Contains("main.json:2: can't read include file 'gone.json': No such file or directory", err);
    }

    [Fact]
    public async Task InvalidUtf8IsAnInputError()
    {
        File.WriteAllBytes(Path.Combine(_dir, "latin1.json"), new byte[] { (byte)'{', (byte)' ', 0xE9, (byte)'}' });
        (int code, string _, string? err) = await CompatRun.RunAsync(_dir, "latin1.json", "new.json");
        Assert.Equal(2, code);
        Assert.Contains("latin1.json", err);
    }

    [Fact]
    public async Task EachFileOfASideIsReadOnce()
    {
        // A main file including the same module twice, directly and through another module.
        File.WriteAllText(Path.Combine(_dir, "m.json"), "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n{ 'include': 'a.json' }\n");
        File.WriteAllText(Path.Combine(_dir, "a.json"), "{ 'command': 'ping' }\n");
        File.WriteAllText(Path.Combine(_dir, "b.json"), "{ 'include': 'a.json' }\n{ 'command': 'stop' }\n");
        var source = new CountingSource(_dir);
        SchemaFileSet files = await Inputs.SchemaFileSet.ReadAsync(source, "m.json", default);
        Assert.Equal(new[] { "a.json", "b.json", "m.json" }, source.ReadNames());
        SchemaSnapshot snapshot = SchemaSnapshotLoader.Load(files, new SnapshotOptions());
        Assert.Equal(2, snapshot.Commands.Count);
        Assert.Equal(3, source.ReadNames().Length); // the front end read from memory
    }

    private sealed class CountingSource : Inputs.SchemaSource
    {
        private readonly Inputs.DiskSource _disk;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _reads = new();

        public CountingSource(string dir) => _disk = new Inputs.DiskSource(dir);

        public string[] ReadNames()
        {
            string[] names = _reads.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }

        public override string Key(string name) => _disk.Key(name);

        public override Task<System.Collections.Generic.IReadOnlyList<Inputs.FileRead>> ReadAsync(
            System.Collections.Generic.IReadOnlyList<string> names, System.Threading.CancellationToken cancellationToken)
        {
            foreach (string n in names)
            {
                _reads.Enqueue(n);
            }

            return _disk.ReadAsync(names, cancellationToken);
        }
    }
}
