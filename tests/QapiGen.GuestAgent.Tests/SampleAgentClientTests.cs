using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Client;
using QapiGen.Samples.GuestAgent;
using QapiGen.Tests.Shared;
using Xunit;
using SampleQga = QapiGen.Samples.GuestAgent.Qga;

namespace QapiGen.GuestAgent.Tests;

/// <summary>The runtime's guest-agent client and typed clients talking to the sample agent (no qemu-ga needed).</summary>
[Collection(FdCountingCollection.Name)]
public class SampleAgentClientTests
{
    private static readonly QgaClientOptions Generous = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task ClientGeneratedFromTheSampleSchemaUsesEveryCommand()
    {
        string directory = Directory.CreateTempSubdirectory("qga-sample-client-").FullName;
        System.Collections.Generic.Dictionary<string, string> fdsBefore = FdCount.Snapshot();
        try
        {
            await using (GuestAgentServer agent = GuestAgentServer.Start(Path.Combine(directory, "agent.sock")))
            {
                // Connecting resynchronises with guest-sync-delimited: the sentinel is what the client waits for.
                await using SampleQga.QapiClient client = await SampleQga.QapiClient.ConnectAsync("unix:" + agent.SocketPath, Generous);
                Assert.Equal(typeof(QgaClient), typeof(SampleQga.QapiClient).BaseType);

                await client.GuestPingAsync();
                Assert.Equal(77, await client.GuestSyncAsync(77));
                Assert.Equal(-5, await client.GuestSyncDelimitedAsync(-5));
                await client.SynchronizeAsync();

                SampleQga.GuestAgentInfo info = await client.GuestInfoAsync();
                Assert.Equal(AgentCommands.Version, info.Version);
                Assert.Equal(SampleQga.QapiDispatcher.Commands.Select(c => c.Name), info.SupportedCommands.Select(c => c.Name));
                long now = await client.GuestGetTimeAsync();
                Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(now / 1_000_000), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

                // Typed file commands.
                string path = Path.Combine(directory, "typed.txt");
                long handle = await client.GuestFileOpenAsync(path, "w+");
                SampleQga.GuestFileWrite written = await client.GuestFileWriteAsync(handle, Convert.ToBase64String("0123456789"u8.ToArray()));
                Assert.Equal(10, written.Count);
                await client.GuestFileFlushAsync(handle);
                Assert.Equal(3, (await client.GuestFileSeekAsync(handle, -7, SampleQga.QGASeek.End)).Position);
                SampleQga.GuestFileRead read = await client.GuestFileReadAsync(handle, 4);
                Assert.Equal("3456", System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(read.BufB64)));
                Assert.False(read.Eof);
                await client.GuestFileCloseAsync(handle);
                Assert.Equal("0123456789", File.ReadAllText(path));

                // The runtime's stream helpers: 3 MiB in and out, in 64 KiB chunks.
                byte[] data = new byte[3 * 1024 * 1024 + 17];
                Random.Shared.NextBytes(data);
                string big = Path.Combine(directory, "big.bin");
                Assert.Equal(data.Length, await client.CopyToGuestAsync(new MemoryStream(data), big));
                Assert.Equal(data, File.ReadAllBytes(big));
                MemoryStream back = new();
                Assert.Equal(data.Length, await client.CopyFromGuestAsync(big, back));
                Assert.Equal(data, back.ToArray());

                // guest-exec and guest-exec-status through the helper.
                QgaExecResult echo = await client.ExecAsync("/bin/echo", ["hello", "sample"]);
                Assert.Equal(0, echo.ExitCode);
                Assert.Equal("hello sample\n", echo.StandardOutputText);
                QgaExecResult failing = await client.ExecAsync("/bin/sh", ["-c", "cat; echo oops >&2; exit 4"], input: "in\n"u8.ToArray());
                Assert.Equal(4, failing.ExitCode);
                Assert.Equal("in\n", failing.StandardOutputText);
                Assert.Equal("oops\n", failing.StandardErrorText);

                // A typed error, and the channel still in sync after it.
                Runtime.Protocol.QmpException missing = await Assert.ThrowsAsync<Runtime.Protocol.QmpException>(() => client.GuestFileReadAsync(handle));
                Assert.Equal($"handle '{handle}' has not been found", missing.Description);
                await client.GuestPingAsync();
            }
            FdCount.AssertNoneOpenedSince(fdsBefore);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

#if HAVE_QGA_SCHEMA
    [Fact]
    public async Task ClientGeneratedFromQemuSchemaTalksToTheSample()
    {
        string directory = Directory.CreateTempSubdirectory("qga-sample-client-").FullName;
        try
        {
            await using GuestAgentServer agent = GuestAgentServer.Start(Path.Combine(directory, "agent.sock"));
            await using Qga.QapiClient client = await Qga.QapiClient.ConnectAsync("unix:" + agent.SocketPath, Generous);
            await client.GuestPingAsync();
            Qga.GuestAgentInfo info = await client.GuestInfoAsync();
            Assert.Equal(AgentCommands.Version, info.Version);
            Assert.Contains(info.SupportedCommands, c => c.Name == "guest-exec" && c.Enabled);
            Assert.Equal(9, await client.GuestSyncDelimitedAsync(9));
            Assert.True(await client.GuestGetTimeAsync() > 0);
            // A command the sample does not have: the agent's typed error, as qemu-ga gives for a disabled one.
            Runtime.Protocol.QmpException e = await Assert.ThrowsAsync<Runtime.Protocol.QmpException>(() => client.GuestGetHostNameAsync());
            Assert.Equal("CommandNotFound", e.ErrorClass);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
#endif
}
