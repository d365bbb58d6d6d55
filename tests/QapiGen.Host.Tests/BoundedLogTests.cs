using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Hosting;
using Xunit;

namespace QapiGen.Host.Tests;

public sealed class BoundedLogTests
{
    /// <summary>A sink that takes nothing until released, like a pipe nobody reads, then records every line.</summary>
    private sealed class StuckSink : TextWriter
    {
        private readonly ManualResetEventSlim _released = new();
        private readonly object _gate = new();

        public List<string> Lines { get; } = new();

        public override Encoding Encoding => Encoding.UTF8;

        public void Release() => _released.Set();

        public override void WriteLine(string? value)
        {
            _released.Wait();
            lock (_gate)
            {
                Lines.Add(value ?? "");
            }
        }

        public string[] Snapshot()
        {
            lock (_gate)
            {
                return [.. Lines];
            }
        }
    }

    [Fact]
    public async Task WritingNeverWaitsForAStuckSinkAndDropsAreCounted()
    {
        const int Total = 20000;
        StuckSink sink = new();
        BoundedLog log = new(sink, capacity: 64);
        // Would never finish if Write waited for the sink.
        await Task.Run(() =>
        {
            for (int i = 0; i < Total; i++)
            {
                log.Write($"line {i}");
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));
        long dropped = log.Dropped;
        // The queue holds 64 and the writer thread at most one more, stuck in the sink.
        Assert.InRange(dropped, Total - 65, Total - 64);

        sink.Release();
        // Once the queue has drained, the next line is kept.
        long kept = Total - dropped;
        for (int i = 0; i < 600 && sink.Snapshot().Count(l => l.StartsWith("line ", StringComparison.Ordinal)) < kept; i++)
        {
            await Task.Delay(50);
        }
        log.Write("after");
        log.Dispose();

        // Every dropped line is counted in a report written before a later line.
        string[] lines = sink.Snapshot();
        long reported = 0;
        foreach (string line in lines.Where(l => l.StartsWith('(')))
        {
            Assert.EndsWith(" log lines dropped: the log was not being read)", line);
            reported += long.Parse(line[1..line.IndexOf(' ', StringComparison.Ordinal)]);
        }
        Assert.Equal(dropped, reported);
        Assert.Equal(kept, lines.Count(l => l.StartsWith("line ", StringComparison.Ordinal)));
        Assert.Equal("after", lines[^1]);
    }

    [Fact]
    public void LongLinesAreCut()
    {
        StuckSink sink = new();
        sink.Release();
        using (BoundedLog log = new(sink))
        {
            log.Write(new string('x', 100_000));
        }
        string line = Assert.Single(sink.Snapshot());
        Assert.StartsWith(new string('x', BoundedLog.MaxLineLength) + " [", line);
        Assert.EndsWith($"[{100_000 - BoundedLog.MaxLineLength} more characters cut]", line);
    }
}
