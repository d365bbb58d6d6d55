using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;

namespace QapiGen.Runtime.Tests.Support;

/// <summary>
/// A small hand-written command table standing in for generated code: it implements the real
/// IQmpDispatcher contract so the tests exercise the real session, transports and monitor.
/// </summary>
internal sealed class TestDispatcher : IQmpDispatcher
{
    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set, with the <see cref="System.Diagnostics.Stopwatch"/> timestamp, when "slow" saw its token fire.</summary>
    public TaskCompletionSource<long> SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The monitor serving this table ("remove-self" removes it); sessions do not know their monitor.</summary>
    public QmpMonitor? Monitor { get; set; }

    public bool TryGetCommand(string name, out QmpCommandInfo info)
    {
        info = name switch
        {
            "query-version" or "echo" or "take-fd" or "slow" or "emit" or "close-me" or "remove-self" or "fail" or "boom" or "count-fds" or "bad-writer" or "raw-args" => new QmpCommandInfo(name),
            "ping-oob" => new QmpCommandInfo(name, AllowOob: true),
            "no-reply" => new QmpCommandInfo(name, SuccessResponse: false),
            _ => default,
        };
        return info.Name is not null;
    }

    public ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        if (context.Command.Name == "raw-args")
        {
            // The bytes the table was handed, as a string: what a generated table reads.
            return new(QmpReply.FromWriter(System.Text.Encoding.UTF8.GetString(arguments.Span), static (w, s) => w.WriteStringValue(s)));
        }
        // A test table may take a tree: it owns its data, so the async commands may keep it.
        Utf8JsonReader reader = new(arguments.Span);
        return DispatchAsync(context, JsonElement.ParseValue(ref reader), cancellationToken);
    }

    private async ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, JsonElement arguments, CancellationToken cancellationToken)
    {
        switch (context.Command.Name)
        {
            case "query-version":
                return QmpReply.FromWriter(0, static (w, _) =>
                {
                    w.WriteStartObject();
                    w.WriteStartObject("qemu"u8);
                    w.WriteNumber("micro"u8, 0);
                    w.WriteNumber("minor"u8, 2);
                    w.WriteNumber("major"u8, 7);
                    w.WriteEndObject();
                    w.WriteString("package"u8, "test");
                    w.WriteEndObject();
                });
            case "echo":
                return QmpReply.FromJson(arguments);
            case "bad-writer":
                // A hand-written writer that leaves its object open: the checked writer must catch it.
                return QmpReply.FromWriter(0, static (w, _) =>
                {
                    w.WriteStartObject();
                    w.WriteNumberValue(1);
                });
            case "take-fd":
            {
                using SafeFileHandle fd = context.Fds.Take();
                (ulong device, ulong inode) = UnixFd.GetFileId(fd);
                return QmpReply.FromWriter((device, inode), static (w, id) =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("dev"u8, id.device);
                    w.WriteNumber("ino"u8, id.inode);
                    w.WriteEndObject();
                });
            }
            case "count-fds":
                return QmpReply.FromWriter(context.Fds.Count, static (w, n) => w.WriteNumberValue(n));
            case "slow":
                SlowStarted.TrySetResult();
                int ms = arguments.TryGetProperty("ms", out JsonElement v) ? v.GetInt32() : 200;
                try
                {
                    await Task.Delay(ms, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    SlowCancelled.TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp());
                    throw;
                }
                return QmpReply.FromWriter(ms, static (w, n) => w.WriteNumberValue(n));
            case "ping-oob":
                return QmpReply.FromWriter("pong", static (w, s) => w.WriteStringValue(s));
            case "emit":
                context.EmitEvent("TEST_EVENT", arguments, static (w, a) => a.WriteTo(w));
                return QmpReply.Empty;
            case "close-me":
                // Echoes its arguments, so a test can make the last reply as large as it likes.
                context.Session.CloseAfterReply();
                return QmpReply.FromJson(arguments);
            case "remove-self":
                // What the host's monitor-remove does when the id names the caller's monitor.
                await Monitor!.DisposeAsync();
                return QmpReply.Empty;
            case "no-reply":
                return QmpReply.NoResponse;
            case "fail":
                throw new QmpException(QmpErrorClass.DeviceNotFound, "Device 'x' not found");
            case "boom":
                throw new InvalidOperationException("kaboom");
            default:
                return QmpError.CommandNotFound(context.Command.Name);
        }
    }
}
