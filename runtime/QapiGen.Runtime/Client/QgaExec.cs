using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Client;

/// <summary>
/// Runs a program in the guest and waits for it: <c>guest-exec</c> with the output captured, then
/// <c>guest-exec-status</c> until the agent reports it exited. The agent has no "wait": it is asked
/// again and again, at first every few milliseconds, then at most every <c>maxPollInterval</c>.
/// </summary>
public static class QgaExec
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Runs <paramref name="path"/> with <paramref name="arguments"/> (argv[1..]) and, if given,
    /// <paramref name="environment"/> (<c>NAME=VALUE</c>, replacing the agent's) and
    /// <paramref name="input"/> on standard input; returns the exit status and the captured output.
    /// Cancellation stops the waiting, not the process.
    /// </summary>
    public static async Task<QgaExecResult> ExecAsync(this QgaClient client, string path, IReadOnlyList<string>? arguments = null,
        IReadOnlyList<string>? environment = null, ReadOnlyMemory<byte>? input = null, TimeSpan? maxPollInterval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(path);
        long pid = await client.ExecuteAsync("guest-exec", (path, arguments, environment, input), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("path"u8, s.path);
            if (s.arguments is { } args)
            {
                WriteStrings(w, "arg"u8, args);
            }

            if (s.environment is { } env)
            {
                WriteStrings(w, "env"u8, env);
            }

            if (s.input is { } data)
            {
                w.WriteBase64String("input-data"u8, data.Span);
            }

            w.WriteBoolean("capture-output"u8, true);
            w.WriteEndObject();
        }, static value => value.GetProperty("pid"u8).GetInt64(), cancellationToken).ConfigureAwait(false);

        TimeSpan delay = FirstPoll;
        TimeSpan maxDelay = maxPollInterval ?? TimeSpan.FromMilliseconds(100);
        while (true)
        {
            QgaExecResult? result = await client.ExecuteAsync("guest-exec-status", pid, static (w, p) =>
            {
                w.WriteStartObject();
                w.WriteNumber("pid"u8, p);
                w.WriteEndObject();
            }, value => ReadStatus(pid, value), cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    // Null while the process runs. Once it has exited the agent forgets it, so this reply is the only one.
    private static QgaExecResult? ReadStatus(long pid, JsonElement value)
    {
        if (!value.GetProperty("exited"u8).GetBoolean())
        {
            return null;
        }

        return new QgaExecResult
        {
            Pid = pid,
            ExitCode = value.TryGetProperty("exitcode"u8, out JsonElement code) ? code.GetInt32() : null,
            Signal = value.TryGetProperty("signal"u8, out JsonElement signal) ? signal.GetInt32() : null,
            StandardOutput = value.TryGetProperty("out-data"u8, out JsonElement o) ? o.GetBytesFromBase64() : ReadOnlyMemory<byte>.Empty,
            StandardError = value.TryGetProperty("err-data"u8, out JsonElement e) ? e.GetBytesFromBase64() : ReadOnlyMemory<byte>.Empty,
            OutputTruncated = value.TryGetProperty("out-truncated"u8, out JsonElement ot) && ot.ValueKind == JsonValueKind.True,
            ErrorTruncated = value.TryGetProperty("err-truncated"u8, out JsonElement et) && et.ValueKind == JsonValueKind.True,
        };
    }
}
