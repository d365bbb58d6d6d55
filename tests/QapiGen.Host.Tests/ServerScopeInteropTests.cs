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
    private static Step S(string send) => new(send, null);

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
    public Task NegotiationAndItsErrors() => CompareAsync(false,
        S("{\"execute\":\"query-status\"}"),
        S("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"nope\"]}}"),
        S("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":\"oob\"}}"),
        S("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"bogus\":1}}"),
        S("{\"execute\":\"qmp_capabilities\",\"id\":\"neg\"}"),
        S("{\"execute\":\"query-status\",\"id\":[1,{\"a\":null}]}"));

    [QemuFact]
    public Task MalformedRequestsAndUnknownCommands() => CompareAsync(true,
        S("{\"execute\":\"no-such-command\",\"id\":2}"),
        S("{\"execute\":42}"),
        S("{\"arguments\":{}}"),
        S("{\"execute\":\"query-status\",\"arguments\":[]}"),
        S("{\"execute\":\"query-status\",\"extra\":1}"),
        S("[1,2]"),
        S("{\"execute\":\"query-status\",\"id\":3}"));

    [QemuFact]
    public Task BadArguments() => CompareAsync(true,
        S("{\"execute\":\"query-status\",\"arguments\":{\"x\":1}}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{}}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":\"0\"}}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":0,\"fd\":true}}"),
        S("{\"execute\":\"add-fd\",\"arguments\":{\"opaque\":7}}"),
        S("{\"execute\":\"getfd\",\"arguments\":{}}"),
        S("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":null}}"),
        S("{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"x\",\"y\":1}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"nope\",\"data\":{}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\"}}"),
        // Errors inside a union's branch and in a nested struct, in QEMU's order (schema, not document).
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"file\",\"data\":{}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"file\",\"data\":{\"out\":1,\"append\":\"no\"}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"file\",\"data\":{\"bogus\":1,\"out\":\"/dev/null\",\"logappend\":2}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"file\",\"data\":{\"out\":\"/dev/null\"},\"extra\":1}}}"));
}
