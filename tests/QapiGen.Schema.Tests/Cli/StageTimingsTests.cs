using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary><c>QAPIGEN_TIMINGS=1</c>: each stage of a run on stderr at its end; unset, nothing.</summary>
public sealed class StageTimingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-timings-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Schema()
    {
        string path = Path.Combine(_dir, "ok.json");
        File.WriteAllText(path, "##\n# @Colour:\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n");
        return path;
    }

    [Fact]
    public async Task EachStageOfADumpIsTimedOnStderrAndTheOutputIsUnchanged()
    {
        string schema = Schema();
        (int code, string plainOut, string plainErr) = await QapigenProcess.RunWith([("QAPIGEN_TIMINGS", null)], "dump", schema);
        Assert.Equal((0, ""), (code, plainErr));

        (code, string timedOut, string timedErr) = await QapigenProcess.RunWith([("QAPIGEN_TIMINGS", "1")], "dump", schema);
        Assert.Equal(0, code);
        Assert.Equal(plainOut, timedOut);
        string[] stages = timedErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Substring("qapigen timings: ".Length, 20).TrimEnd()).ToArray();
        Assert.Equal(new[] { "before Main", "huge pages", "command line", "parse", "check expressions", "model", "check model", "dump", "exit", "Main" }, stages);
        Assert.Matches(@"Main +wall +[0-9.]+ ms +[0-9,]+ KB allocated, [0-9]+ GCs; cpu [0-9.]+ ms \(user [0-9.]+, sys [0-9.]+\); [0-9]+ page faults; huge pages: (none|[0-9]+ MiB)\n$", timedErr);
    }
}
