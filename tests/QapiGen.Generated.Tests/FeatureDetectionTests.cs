using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// <c>client.Schema</c>: what the connected server has, from its <c>query-qmp-schema</c>, fetched once per
/// connection; against a scripted server serving the test schema's own introspection, and against QEMU 7.2.
/// </summary>
public class FeatureDetectionTests
{
    [Fact]
    public async Task PathsGoThroughListsUnionsAndAlternatesAndTheSchemaIsFetchedOnce()
    {
        string introspection = Encoding.UTF8.GetString(QapiIntrospection.SchemaJson.Span);
        await using var server = new ScriptedServer(new Dictionary<string, string> { ["query-qmp-schema"] = introspection });
        await using QapiClient client = await QapiClient.ConnectAsync(server.Endpoint);
        QmpServerSchema schema = client.Schema;

        Assert.True(await schema.HasCommandAsync("query-skew"));
        Assert.False(await schema.HasCommandAsync("conditional-command"));   // CONFIG_OFF
        Assert.False(await schema.HasCommandAsync("SKEW_EVENT"));
        Assert.True(await schema.HasEventAsync("SKEW_EVENT"));
        Assert.False(await schema.HasEventAsync("query-skew"));

        Assert.True(await schema.HasArgumentAsync("run-shape", "kind"));       // a union's base
        Assert.True(await schema.HasArgumentAsync("run-shape", "radius"));     // a branch
        Assert.False(await schema.HasArgumentAsync("run-shape", "sides"));
        Assert.True(await schema.HasArgumentAsync("echo-struct", "value.nested.count"));
        Assert.False(await schema.HasArgumentAsync("echo-struct", "value.secret"));   // CONFIG_OFF
        Assert.False(await schema.HasArgumentAsync("nope", "value"));

        Assert.True(await schema.HasReturnMemberAsync("query-skew", "widgets.nested.label"));   // list elements
        Assert.True(await schema.HasReturnMemberAsync("query-skew", "outer.radius"));           // a union's branch that is a union
        Assert.True(await schema.HasReturnMemberAsync("query-skew", "values.count"));           // an alternative
        Assert.False(await schema.HasReturnMemberAsync("query-skew", "outer.bogus"));
        Assert.True(await schema.HasEventMemberAsync("SKEW_EVENT", "info.colors"));

        Assert.True(await schema.HasEnumValueAsync("take-value", "arguments.sizes", "blue"));   // list of alternates with an enum
        Assert.False(await schema.HasEnumValueAsync("take-value", "arguments.sizes", "cyan"));  // CONFIG_OFF
        Assert.True(await schema.HasEnumValueAsync("take-value", "arguments.sizes", "mauve", "deprecated"));
        Assert.False(await schema.HasEnumValueAsync("take-value", "arguments.sizes", "red", "deprecated"));
        Assert.True(await schema.HasEnumValueAsync("query-skew", "return.outer.mode", "plain"));

        Assert.True(await schema.HasFeatureAsync("old-command", null, "deprecated"));
        Assert.True(await schema.HasFeatureAsync("x-new-command", null, "unstable"));
        Assert.False(await schema.HasFeatureAsync("echo-struct", null, "deprecated"));
        await Assert.ThrowsAsync<ArgumentException>(() => schema.HasEnumValueAsync("take-value", "sizes", "blue"));

        Assert.Equal(["qmp_capabilities", "query-qmp-schema"], server.Commands.ToArray());

        // A command the server lacks keeps its typed error.
        QmpException e = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("query-audiodevs"));
        Assert.Equal(QmpErrorClass.CommandNotFound, e.ErrorClass);
    }

    [QemuFact]
    public async Task AgainstQEMU72()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-fd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        string socket = Path.Combine(dir, "qmp.sock");
        var info = new ProcessStartInfo(QemuFactAttribute.Binary) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (string? a in new[] { "-M", "none", "-nodefaults", "-display", "none", "-S", "-qmp", $"unix:{socket},server=on,wait=off" })
        {
            info.ArgumentList.Add(a);
        }

        using Process qemu = Process.Start(info)!;
        try
        {
            for (int i = 0; i < 2400 && !File.Exists(socket); i++)
            {
                await Task.Delay(25);
            }

            // QEMU creates the socket file (bind) a moment before it listens: a connect in between is refused.
            QapiClient? connected = null;
            for (int attempt = 0; connected is null; attempt++)
            {
                try
                {
                    connected = await QapiClient.ConnectAsync("unix:" + socket);
                }
                catch (System.Net.Sockets.SocketException refused) when (refused.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused && attempt < 400)
                {
                    await Task.Delay(25);
                }
            }

            await using QapiClient client = connected;
            QmpServerSchema schema = client.Schema;
            Assert.True(await schema.HasCommandAsync("query-status"));
            Assert.False(await schema.HasCommandAsync("query-audiodevs"));     // QEMU 8.0
            Assert.True(await schema.HasCommandAsync("migrate-incoming"));
            Assert.True(await schema.HasArgumentAsync("migrate-incoming", "uri"));
            Assert.False(await schema.HasArgumentAsync("migrate-incoming", "channels"));   // QEMU 8.2
            Assert.True(await schema.HasEventAsync("STOP"));
            Assert.True(await schema.HasReturnMemberAsync("query-status", "running"));
            Assert.True(await schema.HasEnumValueAsync("migrate-set-capabilities", "arguments.capabilities.capability", "zero-copy-send"));
            Assert.False(await schema.HasEnumValueAsync("migrate-set-capabilities", "arguments.capabilities.capability", "mapped-ram"));   // QEMU 9.0
            Assert.True(await schema.HasEnumValueAsync("migrate-set-capabilities", "arguments.capabilities.capability", "x-colo", "unstable"));
            Assert.True(await schema.HasFeatureAsync("drive-backup", null, "deprecated"));
            Assert.True(await schema.HasFeatureAsync("x-query-ramblock", null, "unstable"));
            Assert.True(await schema.HasFeatureAsync("MEM_UNPLUG_ERROR", null, "deprecated"));
            Assert.True(await schema.HasFeatureAsync("block-commit", "arguments.base", "deprecated"));
            Assert.False(await schema.HasFeatureAsync("block-commit", "arguments.base-node", "deprecated"));
            Assert.True(await schema.HasEventMemberAsync("BLOCK_JOB_COMPLETED", "error"));
            QmpException e = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("query-audiodevs"));
            Assert.Equal(QmpErrorClass.CommandNotFound, e.ErrorClass);
        }
        finally
        {
            qemu.Kill(entireProcessTree: true);
            await qemu.WaitForExitAsync();
            Directory.Delete(dir, true);
        }
    }
}
