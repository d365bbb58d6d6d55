using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Tests.ServerScope;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;
using Xunit;

#pragma warning disable CS0618 // 'singlestep' is deprecated in the schema, but QEMU 7.2 still sends it.

namespace QapiGen.Host.Tests;

/// <summary>
/// A server generated with <c>Generate="Server"</c> (the host's schema, this project's own schema item: strict
/// argument readers, reply writers, the dispatcher and <c>QapiCommandsBase</c>, no client code) against real
/// QEMU 7.2 in the interop conversations whose answers come from the generated code alone: negotiation,
/// malformed requests, and every argument error (QEMU's texts, first error in QEMU's order), replies compared
/// field by field.
/// </summary>
public sealed class ServerScopeInteropTests
{
    /// <summary>Answers query-status as QEMU started with <c>-S</c> does; every other command is the base's.</summary>
    private sealed class Commands : QapiCommandsBase
    {
        public override ValueTask<StatusInfo> QueryStatusAsync(QmpCommandContext context, QueryStatusArguments arguments, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new StatusInfo { Running = false, Singlestep = false, Status = RunState.Prelaunch });
    }

    private static async Task CompareAsync(bool negotiate, params Step[] steps)
    {
        string dir = Directory.CreateTempSubdirectory("qapigen-server-scope-").FullName;
        try
        {
            string socket = Path.Combine(dir, "qmp.sock");
            await using (QmpMonitor monitor = new("mon0", QmpListener.Create("unix:" + socket), new QapiDispatcher(new Commands()), ownsListener: true))
            {
                monitor.Start();
                await using QemuProcess qemu = await QemuProcess.StartAsync();
                await using RawQmp ours = await RawQmp.ConnectAsync(socket, negotiate);
                await using RawQmp theirs = await qemu.ConnectAsync(negotiate);
                await Conversation.CompareAsync(ours, theirs, steps);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [QemuFact]
    public Task NegotiationAndItsErrors() => CompareAsync(false, [.. QemuConversations.Negotiation]);

    [QemuFact]
    public Task MalformedRequestsAndUnknownCommands() => CompareAsync(true, [.. QemuConversations.MalformedRequests]);

    [QemuFact]
    public Task BadArguments() => CompareAsync(true, [.. QemuConversations.BadArguments]);
}
