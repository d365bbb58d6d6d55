using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Samples.GuestAgent.Qga;

namespace QapiGen.Samples.GuestAgent;

/// <summary>
/// Programs started by <c>guest-exec</c>, until <c>guest-exec-status</c> has reported them exited
/// (then they are forgotten, as qemu-ga does). Output is kept only with <c>capture-output</c>, up
/// to <see cref="MaxOutput"/> bytes per stream (the rest is read and dropped, and reported truncated).
/// </summary>
/// <remarks>
/// .NET reports a program killed by a signal as exit code 128 + the signal number, so this agent
/// reports <c>exitcode</c> where qemu-ga reports <c>signal</c> for such a program.
/// </remarks>
internal sealed class GuestPrograms : IDisposable
{
    /// <summary>Bytes kept per output stream (qemu-ga keeps 16 MiB).</summary>
    public const int MaxOutput = 16 * 1024 * 1024;

    private readonly ConcurrentDictionary<long, Running> _running = new();

    private sealed class Running(Process process, Task<Captured>? output, Task<Captured>? error, Task drained)
    {
        public Process Process { get; } = process;
        public Task<Captured>? Output { get; } = output;
        public Task<Captured>? Error { get; } = error;
        public Task Drained { get; } = drained;
    }

    private readonly record struct Captured(byte[] Data, bool Truncated);

    public GuestExec Start(string path, IReadOnlyList<string>? args, IReadOnlyList<string>? env, string? inputData, bool capture)
    {
        byte[]? input = null;
        if (inputData is not null)
        {
            try
            {
                input = Convert.FromBase64String(inputData);
            }
            catch (FormatException)
            {
                throw new QmpException(QmpError.Generic("Base64 data contains invalid characters"));
            }
        }
        ProcessStartInfo start = new(path)
        {
            UseShellExecute = false,
            // Always redirected: what is not captured is read and dropped, so the program never
            // writes into the agent's own standard streams (qemu-ga gives it /dev/null).
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args ?? [])
        {
            start.ArgumentList.Add(arg);
        }
        if (env is not null)
        {
            start.Environment.Clear();
            foreach (string entry in env)
            {
                int equals = entry.IndexOf('=');
                start.Environment[equals < 0 ? entry : entry[..equals]] = equals < 0 ? "" : entry[(equals + 1)..];
            }
        }
        Process process = new() { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            // glib's wording, which qemu-ga passes on.
            throw new QmpException(QmpError.Generic(
                $"Guest agent command failed, error was 'Failed to execute child process \u201C{path}\u201D ({Marshal.GetPInvokeErrorMessage(ex.NativeErrorCode)})'"));
        }
        Task<Captured> output = ReadAsync(process.StandardOutput.BaseStream, capture);
        Task<Captured> error = ReadAsync(process.StandardError.BaseStream, capture);
        Task feed = FeedAsync(process.StandardInput.BaseStream, input);
        Running running = new(process, capture ? output : null, capture ? error : null, Task.WhenAll(output, error, feed, process.WaitForExitAsync()));
        _running[process.Id] = running;
        return new GuestExec { Pid = process.Id };
    }

    public GuestExecStatus Status(long pid)
    {
        if (!_running.TryGetValue(pid, out Running? running))
        {
            throw new QmpException(QmpError.Generic("Invalid parameter 'pid'"));
        }
        // Exited only once its output is all read too, so the report is complete.
        if (!running.Drained.IsCompleted)
        {
            return new GuestExecStatus { Exited = false };
        }
        _running.TryRemove(pid, out _);
        // As qemu-ga: output members (with their truncation flag) only for output there was.
        GuestExecStatus status = new() { Exited = true, Exitcode = running.Process.ExitCode };
        if (running.Output is { IsCompletedSuccessfully: true, Result: { Data.Length: > 0 } output })
        {
            status.OutData = Convert.ToBase64String(output.Data);
            status.OutTruncated = output.Truncated;
        }
        if (running.Error is { IsCompletedSuccessfully: true, Result: { Data.Length: > 0 } error })
        {
            status.ErrData = Convert.ToBase64String(error.Data);
            status.ErrTruncated = error.Truncated;
        }
        running.Process.Dispose();
        return status;
    }

    public void Dispose()
    {
        foreach (long pid in _running.Keys)
        {
            if (_running.TryRemove(pid, out Running? running))
            {
                running.Process.Dispose();
            }
        }
    }

    /// <summary>Reads a program's output to its end, then closes the pipe (disposing the process does not).</summary>
    private static async Task<Captured> ReadAsync(Stream stream, bool keep)
    {
        await using Stream pipe = stream;
        using MemoryStream kept = new();
        byte[] buffer = new byte[16 * 1024];
        bool truncated = false;
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                int room = keep ? (int)Math.Min(n, MaxOutput - kept.Length) : 0;
                kept.Write(buffer, 0, room);
                truncated |= keep && room < n;
            }
        }
        catch (IOException)
        {
        }
        return new Captured(kept.ToArray(), truncated);
    }

    private static async Task FeedAsync(Stream stdin, byte[]? input)
    {
        try
        {
            if (input is not null)
            {
                await stdin.WriteAsync(input).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The program ended without reading all of it.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }
    }
}
