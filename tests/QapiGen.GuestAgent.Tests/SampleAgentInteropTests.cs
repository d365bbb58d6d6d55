using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Samples.GuestAgent;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests;

/// <summary>
/// The sample agent (samples/GuestAgent, served by the runtime's guest-agent dialect) and the real
/// qemu-ga 7.2 hold the same raw conversations; their replies must agree member by member, values
/// that differ by nature aside (see <see cref="AgentScript"/>).
/// </summary>
[Collection(FdCountingCollection.Name)]
public class SampleAgentInteropTests
{
    private const string Ff = "\u00FF";

    /// <summary>Framing, resynchronisation and protocol errors, each on its own connection.</summary>
    private static readonly AgentStep[][] ProtocolConversations =
    [
        // A lone 0xFF (what a resynchronising client sends first): a parse error, nothing else.
        [new(Ff), new("{\"execute\":\"guest-ping\",\"id\":1}")],
        [new("{\"execute\":\"guest-ping\"}"), new("{\"execute\":\"guest-ping\",\"id\":\"text id\"}")],
        [new("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":123}}"), new("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":-1},\"id\":9}")],
        // The sentinel: 0xFF right before the reply (and only before this command's reply).
        [new("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":42}}"),
         new("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":7},\"id\":{\"a\":[1]}}"),
         new("{\"execute\":\"guest-ping\"}")],
        // 0xFF in the middle of a request drops it (with a parse error); the next request is read whole.
        [new("{\"execute\":\"guest-pi" + Ff + "{\"execute\":\"guest-ping\",\"id\":5}", Replies: 2)],
        [new("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + Ff + "{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":8}}", Replies: 2)],
        // Argument checks of the sync commands; no sentinel on an error.
        [new("{\"execute\":\"guest-sync\"}"), new("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":\"x\"}}"),
         new("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1.5}}"), new("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":18446744073709551615}}"),
         new("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":1,\"extra\":2}}"), new("{\"execute\":\"guest-sync-delimited\"}")],
        // No negotiation: qmp_capabilities is an unknown command, exec-oob an unknown member.
        [new("{\"execute\":\"qmp_capabilities\"}"), new("{\"exec-oob\":\"guest-ping\"}"), new("{\"execute\":\"no-such-command\",\"id\":1}"),
         new("{\"execute\":\"guest-ping\",\"arguments\":{\"x\":1}}"), new("[1]"), new("{\"arguments\":{}}"),
         new("{\"execute\":\"guest-ping\",\"control\":{}}"), new("\"guest-ping\"}", Replies: 2)],
        [new("{\"execute\":\"guest-get-time\"}"), new("{\"execute\":\"guest-info\"}")],
    ];

    /// <summary>A file written, read back, appended to, and the file commands' errors.</summary>
    private static readonly AgentStep[] FileConversation =
    [
        new("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"{dir}/data\",\"mode\":\"w+\"}}"),
        new("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":{handle},\"buf-b64\":\"aGVsbG8gd29ybGQ=\"}}"),
        new("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":{handle},\"buf-b64\":\"aGVsbG8gd29ybGQ=\",\"count\":50}}"),
        new("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":{handle},\"buf-b64\":\"!!!\"}}"),
        new("{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":{handle},\"offset\":0,\"whence\":\"set\"}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle},\"count\":4}}"),
        new("{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":{handle},\"offset\":1,\"whence\":\"cur\"}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle}}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle}}}"),
        new("{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":{handle},\"offset\":-5,\"whence\":2}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle},\"count\":5}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle},\"count\":0}}"),
        new("{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":{handle},\"offset\":0,\"whence\":7}}"),
        new("{\"execute\":\"guest-file-seek\",\"arguments\":{\"handle\":{handle},\"offset\":0,\"whence\":\"bogus\"}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle},\"count\":-1}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle},\"count\":60000000}}"),
        new("{\"execute\":\"guest-file-flush\",\"arguments\":{\"handle\":{handle}}}"),
        new("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":{handle}}}"),
        new("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":{handle}}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle}}}"),
        new("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"{dir}/data\",\"mode\":\"a\"}}"),
        new("{\"execute\":\"guest-file-write\",\"arguments\":{\"handle\":{handle},\"buf-b64\":\"IQ==\"}}"),
        new("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":{handle}}}"),
        new("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"{dir}/data\"}}"),
        new("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":{handle},\"count\":100}}"),
        new("{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":{handle}}}"),
        new("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"{dir}/missing/file\"}}"),
        new("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"{dir}/data\",\"mode\":\"zz\"}}"),
    ];

    /// <summary>Programs run with captured output, and the exec commands' errors.</summary>
    private static readonly AgentStep[] ExecConversation =
    [
        new("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/echo\",\"arg\":[\"hello\",\"guest agent\"],\"capture-output\":true}}"),
        new("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":{pid}}}", UntilExited: true),
        // Reported exited once, then forgotten.
        new("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":{pid}}}"),
        new("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\",\"arg\":[\"-c\",\"cat; echo err >&2; exit 3\"],\"input-data\":\"ZnJvbSBzdGRpbgo=\",\"capture-output\":true}}"),
        new("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":{pid}}}", UntilExited: true),
        new("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/usr/bin/env\",\"env\":[\"ONLY=this\"],\"capture-output\":true}}"),
        new("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":{pid}}}", UntilExited: true),
        new("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\"}}"),
        new("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":{pid}}}", UntilExited: true),
        new("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/no/such/program\"}}"),
        new("{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":0}}"),
    ];

    [QemuGaFact]
    public async Task ProtocolConversationsMatchQemuGa()
    {
        List<JsonElement> realInfo = new();
        List<JsonElement> sampleInfo = new();
        await CompareAsync(ProtocolConversations, realInfo, sampleInfo);

        // The command lists differ by nature; every command the sample knows, qemu-ga knows too.
        HashSet<string> real = realInfo.Single().GetProperty("supported_commands").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToHashSet();
        string[] sample = sampleInfo.Single().GetProperty("supported_commands").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(13, sample.Length);
        Assert.All(sample, name => Assert.Contains(name, real));
    }

    [QemuGaFact]
    public async Task FileConversationMatchesQemuGa()
    {
        // Both wrote the same file.
        await CompareAsync([FileConversation], afterward: (real, sample) =>
        {
            Assert.Equal("hello world!", File.ReadAllText(Path.Combine(real, "data")));
            Assert.Equal("hello world!", File.ReadAllText(Path.Combine(sample, "data")));
        });
    }

    [QemuGaFact]
    public async Task ExecConversationMatchesQemuGa()
    {
        await CompareAsync([ExecConversation]);
    }

    /// <summary>
    /// Runs every conversation against both agents (each in a fresh directory) and compares the
    /// transcripts; then <paramref name="afterward"/> checks the two directories (qemu-ga's, the
    /// sample's). The sample runs in this process, so no fd may be left open by it afterwards.
    /// </summary>
    private static async Task CompareAsync(AgentStep[][] conversations, List<JsonElement>? realInfo = null, List<JsonElement>? sampleInfo = null,
        Action<string, string>? afterward = null)
    {
        string root = Path.Combine(Path.GetTempPath(), "qga-sample-" + Guid.NewGuid().ToString("N")[..12]);
        string realDirectory = Directory.CreateDirectory(Path.Combine(root, "real")).FullName;
        string sampleDirectory = Directory.CreateDirectory(Path.Combine(root, "sample")).FullName;
        // The runtime opens the fds it watches child processes with on the first start and keeps
        // them: start one first, so that only what the agents leave behind is counted.
        ProcessStartInfo redirected = new("/bin/true") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using (Process warmUp = Process.Start(redirected)!)
        {
            await warmUp.WaitForExitAsync();
        }
        Dictionary<string, string> fdsBefore = FdCount.Snapshot();
        try
        {
            await using (QemuGa real = await QemuGa.StartAsync())
            await using (GuestAgentServer sample = GuestAgentServer.Start(Path.Combine(sampleDirectory, "agent.sock")))
            {
                foreach (AgentStep[] conversation in conversations)
                {
                    List<string> expected = await AgentScript.RunAsync(real.SocketPath, realDirectory, conversation, realInfo);
                    List<string> actual = await AgentScript.RunAsync(sample.SocketPath, sampleDirectory, conversation, sampleInfo);
                    Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
                }
            }
            FdCount.AssertNoneOpenedSince(fdsBefore);
            afterward?.Invoke(realDirectory, sampleDirectory);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
