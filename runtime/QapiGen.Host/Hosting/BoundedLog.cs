using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace QapiGen.Host.Hosting;

/// <summary>
/// A log that never blocks the code that logs. Lines go into a bounded queue that one
/// dedicated thread writes to the sink (stderr in the program). When the sink stops taking
/// lines, for example stderr is a pipe nobody reads, the queue fills and further lines are
/// dropped and counted; once the sink moves again, the count is written before the next line.
/// </summary>
/// <remarks>
/// Rules: <see cref="Write"/> never waits; a line longer than <see cref="MaxLineLength"/> is
/// cut (one message cannot fill a pipe on its own); <see cref="Dispose"/> gives the writer at
/// most <see cref="FlushTimeout"/> to write what is queued, so a stuck sink cannot hold up
/// the end of the process either (the writer thread is a background thread).
/// </remarks>
public sealed class BoundedLog : IDisposable
{
    public const int DefaultCapacity = 256;

    public const int MaxLineLength = 4096;

    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(2);

    private readonly TextWriter _sink;
    private readonly BlockingCollection<string> _queue;
    private readonly Thread _writer;
    private long _droppedSinceReport;
    private long _dropped;

    public BoundedLog(TextWriter sink, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _sink = sink;
        _queue = new BlockingCollection<string>(new ConcurrentQueue<string>(), capacity);
        _writer = new Thread(Run) { IsBackground = true, Name = "qapigen log writer" };
        _writer.Start();
    }

    /// <summary>Lines dropped so far because the queue was full (or the log disposed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues <paramref name="line"/> for the sink, or drops and counts it; never waits.</summary>
    public void Write(string line)
    {
        if (line.Length > MaxLineLength)
        {
            line = string.Concat(line.AsSpan(0, MaxLineLength), $" [{line.Length - MaxLineLength} more characters cut]");
        }
        try
        {
            if (_queue.TryAdd(line))
            {
                return;
            }
        }
        catch (InvalidOperationException)
        {
            // Disposed: nothing is written any more.
        }
        Interlocked.Increment(ref _droppedSinceReport);
        Interlocked.Increment(ref _dropped);
    }

    private void Run()
    {
        foreach (string line in _queue.GetConsumingEnumerable())
        {
            ReportDropped();
            TryWrite(line);
        }
        ReportDropped();
    }

    private void ReportDropped()
    {
        long dropped = Interlocked.Exchange(ref _droppedSinceReport, 0);
        if (dropped > 0)
        {
            TryWrite($"({dropped} log lines dropped: the log was not being read)");
        }
    }

    private void TryWrite(string line)
    {
        try
        {
            _sink.WriteLine(line);
            _sink.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A closed stderr: the log goes nowhere, the host goes on.
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _writer.Join(FlushTimeout);
    }
}
