using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// An implementation derived from <c>QapiCommandsBase</c> overrides only the commands it serves: it
/// compiles whatever else the schema defines (as an implementation written for an older schema must,
/// once the schema gains commands), and the commands it does not serve answer as QEMU answers for
/// commands it lacks.
/// </summary>
public class HandlerEvolutionTests
{
    /// <summary>Written as if for a schema with nothing but add-fd-like and echo-struct.</summary>
    private sealed class OlderImplementation : QapiCommandsBase
    {
        public override ValueTask<FdLikeInfo> AddFdLikeAsync(QmpCommandContext context, long? fdsetId, string? opaque, CancellationToken cancellationToken) =>
            new(new FdLikeInfo { FdsetId = fdsetId ?? 0, Fd = 3 });

        public override ValueTask<Widget> EchoStructAsync(QmpCommandContext context, Widget value, CancellationToken cancellationToken) =>
            new(value with { Id = value.Id + 1 });
    }

    [Fact]
    public async Task ServedCommandsAnswerAndTheRestAreNotFoundAsInQemu()
    {
        string path = Path.Combine(Path.GetTempPath(), "qapigen-ev-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".sock");
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        await using QmpMonitor monitor = new("mon0", QmpListener.Create("unix:" + path), new QapiDispatcher(new OlderImplementation()), ownsListener: true);
        monitor.Start();
        await using (QapiClient client = await QapiClient.ConnectAsync("unix:" + path, cancellationToken: timeout.Token))
        {
            Assert.Equal(3, (await client.AddFdLikeAsync(fdsetId: 9, cancellationToken: timeout.Token)).Fd);
            Assert.Equal(2, (await client.EchoStructAsync(new Widget { Name = "w", Id = 1 }, cancellationToken: timeout.Token)).Id);

            QmpException error = await Assert.ThrowsAnyAsync<QmpException>(() => client.SetWidthsAsync(cancellationToken: timeout.Token));
            Assert.Equal(QmpErrorClass.CommandNotFound, error.Error.Class);
            Assert.Equal("The command set-widths has not been found", error.Error.Description);

            // The connection goes on after the refusal.
            Assert.Equal(3, (await client.AddFdLikeAsync(cancellationToken: timeout.Token)).Fd);
        }
        await monitor.StopGracefullyAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void TheBaseImplementsEveryCommandVirtually()
    {
        foreach (System.Reflection.MethodInfo method in typeof(IQapiCommands).GetMethods())
        {
            System.Reflection.MethodInfo? implementation = typeof(QapiCommandsBase).GetMethod(method.Name, Array.ConvertAll(method.GetParameters(), p => p.ParameterType));
            Assert.NotNull(implementation);
            Assert.True(implementation!.IsVirtual && !implementation.IsFinal, method.Name);
        }
    }
}
