using System;
using System.Collections.Generic;
using System.Threading;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// Parses included files ahead, on the other cores, while the reading thread takes the files in
/// order. Each file (by its key) is parsed at most once ahead, as soon as some include directive
/// names it; the reading thread then either finds it parsed, parses it itself if no worker has
/// started it (so it never waits for a queued file), or waits for the worker that is parsing it.
/// </summary>
/// <remarks>
/// Workers run on the thread pool, at most one fewer than there are processors: with the reading
/// thread, that keeps every core busy without more runnable threads than cores. A worker never
/// waits (a file's parse reads and parses that file only), so the reading thread's one wait, for a
/// file being parsed, always ends, even if it is itself a pool thread. On one processor, or for a
/// schema of one file, no worker starts.
/// </remarks>
internal sealed class IncludeScheduler
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Job> _byPath = new(StringComparer.Ordinal);
    private readonly Queue<Job> _queue = new();
    private readonly Func<string, QapiSchemaParser> _parseFile;
    private readonly int _maxWorkers;
    private readonly WaitCallback _work;
    private int _workers;
    private bool _stopped;

    /// <param name="parseFile">Reads and parses one file by the name it is included as; never throws.</param>
    /// <param name="maxWorkers">How many files may be parsed ahead at once.</param>
    public IncludeScheduler(Func<string, QapiSchemaParser> parseFile, int maxWorkers)
    {
        _parseFile = parseFile;
        _maxWorkers = maxWorkers;
        _work = Work;
    }

    /// <summary>Workers for this machine: one fewer than its processors, at most three.</summary>
    public static int DefaultWorkers => Math.Max(0, Math.Min(Environment.ProcessorCount - 1, 3));

    /// <summary>How many files were parsed ahead by a worker (for tests).</summary>
    public int ParsedAhead { get; private set; }

    private sealed class Job
    {
        public Job(string fileName)
        {
            FileName = fileName;
        }

        public string FileName { get; }
        public JobState State { get; set; }
        public QapiSchemaParser? Parser { get; set; }
    }

    private enum JobState { Queued, Running, Done }

    /// <summary>Records a file as being read by the reading thread already (the main file): never parsed ahead.</summary>
    public void Claim(string fullPath, string fileName)
    {
        lock (_lock)
        {
            _byPath[fullPath] = new Job(fileName) { State = JobState.Done };
        }
    }

    /// <summary>An include directive names <paramref name="fileName"/>: parse it ahead, unless it is known already.</summary>
    public void Offer(string fullPath, string fileName)
    {
        if (_maxWorkers == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_stopped || _byPath.ContainsKey(fullPath))
            {
                return;
            }

            var job = new Job(fileName);
            _byPath[fullPath] = job;
            _queue.Enqueue(job);
            if (_workers < _maxWorkers)
            {
                _workers++;
                ThreadPool.UnsafeQueueUserWorkItem(_work, null);
            }
        }
    }

    /// <summary>
    /// The parse of <paramref name="fileName"/>, done ahead or now; null when it was not parsed ahead under
    /// this name (another directive named the same file differently first), and the caller parses it itself.
    /// </summary>
    public QapiSchemaParser? Take(string fullPath, string fileName)
    {
        Job? job;
        lock (_lock)
        {
            if (!_byPath.TryGetValue(fullPath, out job) || job.State == JobState.Done && job.Parser == null || job.FileName != fileName)
            {
                return null;
            }

            if (job.State == JobState.Running)
            {
                while (job.State != JobState.Done)
                {
                    Monitor.Wait(_lock);
                }

                return job.Parser;
            }

            if (job.State == JobState.Done)
            {
                return job.Parser;
            }

            job.State = JobState.Running;
        }
        // Not started yet: parsed here rather than waited for (the worker skips it).
        QapiSchemaParser parser = _parseFile(fileName);
        lock (_lock)
        {
            job.Parser = parser;
            job.State = JobState.Done;
        }
        return parser;
    }

    /// <summary>No more files are wanted (the reading ended, or failed): workers stop after their current file.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _queue.Clear();
        }
    }

    private void Work(object? _)
    {
        while (true)
        {
            Job job;
            lock (_lock)
            {
                while (_queue.Count > 0 && _queue.Peek().State != JobState.Queued)
                {
                    _queue.Dequeue();
                }

                if (_stopped || _queue.Count == 0)
                {
                    _workers--;
                    return;
                }

                job = _queue.Dequeue();
                job.State = JobState.Running;
            }

            QapiSchemaParser parser = _parseFile(job.FileName);
            lock (_lock)
            {
                job.Parser = parser;
                job.State = JobState.Done;
                ParsedAhead++;
                Monitor.PulseAll(_lock);
            }
        }
    }
}
