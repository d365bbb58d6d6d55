using System;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Small;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Client;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests;

/// <summary>The client generated from the project's own guest-agent-style schema (schema/), against a scripted agent.</summary>
[Collection(FdCountingCollection.Name)]
public class DialectTests
{
    [Fact]
    public void GuestAgentSchemaGetsAClientOnQgaClient()
    {
        Assert.Equal(typeof(QgaClient), typeof(QapiClient).BaseType);
        Assert.DoesNotContain(typeof(QapiClient).GetMethod(nameof(QapiClient.TestEchoAsync))!.GetParameters(), p => p.Name == "fds");
        // No events in the guest-agent dialect.
        Assert.Null(typeof(QapiClient).GetMethod("ReadTypedEventsAsync"));
    }

    [Fact]
    public async Task TypedCallsAndACommandNeverAnswered()
    {
        ConcurrentQueue<string> seen = new();
        await using ScriptedGuestAgent agent = new(async (request, transport, ct) =>
        {
            string command = request.GetProperty("execute").GetString()!;
            seen.Enqueue(command + (request.TryGetProperty("arguments", out JsonElement a) ? " " + a.GetRawText() : ""));
            if (command == "guest-sync-delimited")
            {
                await ScriptedGuestAgent.SyncReply(request, transport, ct);
            }
            else if (command == "test-echo")
            {
                string text = request.GetProperty("arguments").GetProperty("text").GetString()!;
                await ScriptedGuestAgent.SendAsync(transport,
                    $"{{\"return\": {{\"text\": {JsonSerializer.Serialize(text)}, \"length\": {text.Length}, \"newer\": 1}}, \"id\": {request.GetProperty("id").GetInt64()}}}\n", ct);
            }
            return true; // test-power-off: no reply, as qemu-ga for guest-shutdown
        });
        await using QapiClient client = await QapiClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(60) });

        TestEcho echo = await client.TestEchoAsync("héllo");
        Assert.Equal("héllo", echo.Text);
        Assert.Equal(5, echo.Length);
        Assert.True(echo.UnknownMembers!.ContainsKey("newer")); // tolerant reader: a newer agent's member kept

        // Returns once sent (waiting would time out), and the channel stays in sync for the next call.
        await client.TestPowerOffAsync("halt");
        Assert.Equal("again", (await client.TestEchoAsync("again")).Text);
        Assert.Equal(1, await client.GuestSyncDelimitedAsync(1));

        string[] commands = seen.ToArray();
        commands[0] = commands[0].Split(' ')[0]; // the connect's sync carries a random id
        Assert.Equal(new[] { "guest-sync-delimited", "test-echo {\"text\":\"h\\u00E9llo\"}", "test-power-off {\"mode\":\"halt\"}",
            "test-echo {\"text\":\"again\"}", "guest-sync-delimited {\"id\":1}" }, commands);
    }
}
