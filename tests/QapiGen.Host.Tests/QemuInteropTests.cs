using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>
/// The same conversations against the host and against real QEMU 7.2
/// (<c>qemu-system-x86_64 -M none -nodefaults -display none -S -qmp unix:…</c>), replies compared
/// field by field (fd numbers and versions aside). Deliberate differences are tested in
/// <see cref="DeliberateDifferencesFromQemu72"/> and listed in the README.
/// </summary>
public sealed class QemuInteropTests
{
    private static Step S(string send, FileAccess? fd = null) => new(send, fd);

    private static async Task CompareAsync(bool negotiate, params Step[] steps)
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await using RawQmp ours = await host.ConnectAsync(negotiate);
        await using RawQmp theirs = await qemu.ConnectAsync(negotiate);
        await Conversation.CompareAsync(ours, theirs, steps);
    }

    [QemuFact]
    public async Task GreetingHasTheSameShape()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await using RawQmp ours = await host.ConnectAsync(negotiate: false);
        await using RawQmp theirs = await qemu.ConnectAsync(negotiate: false);
        Conversation.AssertSame(JsonDocument.Parse(theirs.Greeting!).RootElement, JsonDocument.Parse(ours.Greeting!).RootElement, "greeting");
    }

    [QemuFact]
    public Task NegotiationAndItsErrors() => CompareAsync(false, [.. QemuConversations.Negotiation]);

    [QemuFact]
    public Task MalformedRequestsAndUnknownCommands() => CompareAsync(true, [.. QemuConversations.MalformedRequests]);

    /// <summary>With oob enabled, 'execute' and 'exec-oob' together are refused, in QEMU's words and order of checks.</summary>
    [QemuFact]
    public Task ExecuteAndExecOobTogether() => CompareAsync(false,
        S("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}"),
        S("{\"execute\":\"query-status\",\"exec-oob\":\"query-status\",\"id\":1}"),
        S("{\"exec-oob\":\"query-status\",\"execute\":\"query-status\",\"id\":2}"),
        S("{\"exec-oob\":1,\"execute\":\"query-status\",\"id\":3}"),
        S("{\"exec-oob\":\"query-status\",\"execute\":1,\"id\":4}"),
        S("{\"execute\":1,\"exec-oob\":2,\"id\":5}"),
        S("{\"exec-oob\":\"query-status\",\"id\":6}"),
        S("{\"execute\":\"query-status\",\"id\":7}"));

    [QemuFact]
    public Task BadArguments() => CompareAsync(true, [.. QemuConversations.BadArguments]);

    [QemuFact]
    public Task FdsetsWithRealFdPassing() => CompareAsync(true,
        S("{\"execute\":\"add-fd\"}"),
        S("{\"execute\":\"add-fd\",\"id\":1}", FileAccess.ReadWrite),
        S("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":1,\"opaque\":\"x\"}}", FileAccess.Read),
        S("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":-1}}", FileAccess.Read),
        S("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":7}}", FileAccess.Write),
        S("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":7,\"opaque\":\"second\"}}", FileAccess.Read),
        S("{\"execute\":\"add-fd\"}", FileAccess.Read),
        S("{\"execute\":\"query-fdsets\"}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":9}}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":0,\"fd\":99999}}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":0,\"fd\":-1}}"));

    [QemuFact]
    public Task NamedFds() => CompareAsync(true,
        S("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"a\"}}"),
        S("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"1a\"}}"),
        S("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"1a\"}}", FileAccess.Read),
        S("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"a\"}}", FileAccess.Read),
        S("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"a\"}}", FileAccess.ReadWrite),
        S("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"a\"}}"),
        S("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"a\"}}"),
        S("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"zz\"}}"));

    [QemuFact]
    public Task RunStateAndChardevs() => CompareAsync(true,
        S("{\"execute\":\"query-status\"}"),
        S("{\"execute\":\"stop\"}"),
        S("{\"execute\":\"query-status\"}"),
        S("{\"execute\":\"cont\"}"),
        S("{\"execute\":\"query-status\"}"),
        S("{\"execute\":\"stop\"}"),
        S("{\"execute\":\"query-status\"}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"n1\",\"backend\":{\"type\":\"null\",\"data\":{}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"n1\",\"backend\":{\"type\":\"null\",\"data\":{}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"f2\",\"backend\":{\"type\":\"file\",\"data\":{\"out\":\"/nonexistent/x\"}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"f4\",\"backend\":{\"type\":\"file\",\"data\":{\"out\":\"/dev/fdset/44\"}}}}"),
        S("{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"n1\"}}"),
        S("{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"n1\"}}"),
        S("{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"compat_monitor0\"}}"));

    /// <summary>Every command both servers have is listed by both; the host's extra ones are the run-time monitor commands (monitor-add, monitor-remove, query-monitors).</summary>
    [QemuFact]
    public async Task QueryCommandsAgreeOnTheSharedCommands()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await using RawQmp ours = await host.ConnectAsync();
        await using RawQmp theirs = await qemu.ConnectAsync();
        HashSet<string> Names(JsonElement reply) => reply.GetProperty("return").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToHashSet();
        HashSet<string> mine = Names(await ours.ExecuteAsync("{\"execute\":\"query-commands\"}"));
        HashSet<string> qemus = Names(await theirs.ExecuteAsync("{\"execute\":\"query-commands\"}"));
        Assert.Equal(["monitor-add", "monitor-remove", "query-monitors"], mine.Except(qemus).Order());
        Assert.True(qemus.Count > 100);
        Assert.Equal(mine.Count - 3, mine.Intersect(qemus).Count());
        // And the shared commands answer alike to a call without arguments (or both refuse it).
        foreach (string name in new[] { "query-version", "query-chardev", "query-fdsets", "query-status" })
        {
            JsonElement a = await ours.ExecuteAsync($"{{\"execute\":\"{name}\"}}");
            JsonElement b = await theirs.ExecuteAsync($"{{\"execute\":\"{name}\"}}");
            Assert.Equal(b.TryGetProperty("return", out _), a.TryGetProperty("return", out _));
        }
    }

    /// <summary>
    /// Fds beyond the one a command takes: QEMU closes them when add-fd takes its fd, so a later
    /// add-fd carrying none fails; and two add-fd in one send with two fds: the first gets the
    /// first fd, the second none. The host answers alike.
    /// </summary>
    [QemuFact]
    public async Task ExtraFdsOfAMessageAreNotKept()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await using RawQmp ours = await host.ConnectAsync();
        await using RawQmp theirs = await qemu.ConnectAsync();
        foreach (RawQmp qmp in new[] { ours, theirs })
        {
            SafeFileHandle[] fds = Enumerable.Range(0, 16).Select(_ => FdTools.DevNull(FileAccess.Read)).ToArray();
            try
            {
                JsonElement added = await qmp.ExecuteAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":1}}", fds);
                Assert.Equal(1, added.GetProperty("return").GetProperty("fdset-id").GetInt64());
                Assert.Equal("No file descriptor supplied via SCM_RIGHTS",
                    (await qmp.ExecuteAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":1}}")).GetProperty("error").GetProperty("desc").GetString());

                await qmp.SendAsync("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":2},\"id\":1}{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":3},\"id\":2}", fds[0], fds[1]);
                JsonElement first = await qmp.ReadReplyAsync();
                JsonElement second = await qmp.ReadReplyAsync();
                Assert.Equal(2, first.GetProperty("return").GetProperty("fdset-id").GetInt64());
                Assert.Equal("No file descriptor supplied via SCM_RIGHTS", second.GetProperty("error").GetProperty("desc").GetString());
                JsonElement sets = (await qmp.ExecuteAsync("{\"execute\":\"query-fdsets\"}")).GetProperty("return");
                Assert.Equal([2, 1], sets.EnumerateArray().Select(set => set.GetProperty("fdset-id").GetInt64()));
                Assert.All(sets.EnumerateArray(), set => Assert.Single(set.GetProperty("fds").EnumerateArray()));
            }
            finally
            {
                foreach (SafeFileHandle fd in fds)
                {
                    fd.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// The host follows newer QEMU semantics than 7.2 (fdsets, run-time monitors); these pin both sides so the README's list
    /// of differences stays true.
    /// </summary>
    [QemuFact]
    public async Task DeliberateDifferencesFromQemu72()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await using RawQmp ours = await host.ConnectAsync();
        await using RawQmp theirs = await qemu.ConnectAsync();
        Step[] steps =
        [
            S("{\"execute\":\"add-fd\",\"arguments\":{\"fdset-id\":2}}", FileAccess.Read),
            S("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":2}}"),
            S("{\"execute\":\"query-fdsets\"}"),
            S("{\"execute\":\"monitor-add\",\"arguments\":{\"id\":\"m\",\"chardev\":\"compat_monitor0\"}}"),
        ];
        List<JsonElement> mine = await Conversation.PlayAsync(ours, steps);
        List<JsonElement> qemus = await Conversation.PlayAsync(theirs, steps);

        // 1. remove-fd while stopped (-S): QEMU 7.2 keeps listing the fd until the guest runs and
        //    no monitor is connected; the host closes it at once, whatever the run state.
        Assert.Single(qemus[2].GetProperty("return")[0].GetProperty("fds").EnumerateArray());
        Assert.Empty(mine[2].GetProperty("return").EnumerateArray());
        // 2. monitor-add does not exist in 7.2.
        Assert.Equal("CommandNotFound", qemus[3].GetProperty("error").GetProperty("class").GetString());
        Assert.Equal("Device 'compat_monitor0' is in use", mine[3].GetProperty("error").GetProperty("desc").GetString());
    }

    /// <summary>
    /// 3. Named fds: QEMU 7.2 keeps them with the monitor across client reconnects; the host
    /// closes them with the client's session (they cannot leak when a client goes away).
    /// </summary>
    [QemuFact]
    public async Task NamedFdsAcrossAReconnect()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        Step getfd = S("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"keep\"}}", FileAccess.ReadWrite);
        Step closefd = S("{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"keep\"}}");
        await using (RawQmp ours = await host.ConnectAsync())
        await using (RawQmp theirs = await qemu.ConnectAsync())
        {
            await Conversation.PlayAsync(ours, [getfd]);
            await Conversation.PlayAsync(theirs, [getfd]);
        }
        await Task.Delay(200);
        await using RawQmp ours2 = await host.ConnectAsync();
        await using RawQmp theirs2 = await qemu.ConnectAsync();
        Assert.True((await Conversation.PlayAsync(theirs2, [closefd]))[0].TryGetProperty("return", out _));
        Assert.Equal("File descriptor named 'keep' not found",
            (await Conversation.PlayAsync(ours2, [closefd]))[0].GetProperty("error").GetProperty("desc").GetString());
    }
}
