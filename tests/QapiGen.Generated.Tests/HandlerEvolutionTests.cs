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
        public override ValueTask<FdLikeInfo> AddFdLikeAsync(QmpCommandContext context, AddFdLikeArguments arguments, CancellationToken cancellationToken) =>
            new(new FdLikeInfo { FdsetId = arguments.FdsetId ?? 0, Fd = 3 });

        public override ValueTask<Widget> EchoStructAsync(QmpCommandContext context, EchoStructArguments arguments, CancellationToken cancellationToken) =>
            new(arguments.Value with { Id = arguments.Value.Id + 1 });
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

    /// <summary>
    /// Every command of the interface is implemented by the base; what an implementation overrides is a virtual
    /// method taking the command's argument record, or, for a boxed or 'gen': false command (one object already),
    /// the interface's own signature.
    /// </summary>
    [Fact]
    public void TheBaseImplementsEveryCommandWithAVirtualTakingOneArgumentsObject()
    {
        System.Reflection.InterfaceMapping map = typeof(QapiCommandsBase).GetInterfaceMap(typeof(IQapiCommands));
        Assert.NotEmpty(map.InterfaceMethods);
        foreach (System.Reflection.MethodInfo method in map.InterfaceMethods)
        {
            System.Reflection.MethodInfo[] overridable = Array.FindAll(typeof(QapiCommandsBase).GetMethods(),
                m => m.Name == method.Name && m.IsVirtual && !m.IsFinal && m.DeclaringType == typeof(QapiCommandsBase));
            System.Reflection.MethodInfo virtualMethod = Assert.Single(overridable);
            System.Reflection.ParameterInfo[] parameters = virtualMethod.GetParameters();
            Assert.True(parameters.Length <= 3, method.Name);
            Assert.Equal(typeof(QmpCommandContext), parameters[0].ParameterType);
            Assert.Equal(typeof(CancellationToken), parameters[^1].ParameterType);
        }
        Assert.Equal(typeof(AddFdLikeArguments), typeof(QapiCommandsBase).GetMethod(nameof(QapiCommandsBase.AddFdLikeAsync))!.GetParameters()[1].ParameterType);
        Assert.Equal(typeof(QueryThingsArguments), typeof(QapiCommandsBase).GetMethod(nameof(QapiCommandsBase.QueryThingsAsync))!.GetParameters()[1].ParameterType);
        Assert.Equal(typeof(Shape), typeof(QapiCommandsBase).GetMethod(nameof(QapiCommandsBase.RunShapeAsync))!.GetParameters()[1].ParameterType);
    }
}
