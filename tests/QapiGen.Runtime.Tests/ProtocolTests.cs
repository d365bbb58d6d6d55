using System;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Tests.Support;
using Xunit;

namespace QapiGen.Runtime.Tests;

/// <summary>
/// Conversations over a real unix socket. Expected error classes and texts were taken from
/// QEMU 7.2 (qemu-system-x86_64 -M none -qmp unix:...) for the same input.
/// </summary>
public class ProtocolTests
{
    private static string Err(string cls, string desc, string? id = null) =>
        (id is null ? "{" : "{\"id\":" + id + ",") + $"\"error\":{{\"class\":\"{cls}\",\"desc\":\"{desc}\"}}}}";

    [Fact]
    public async Task GreetingHasQemuShapeAndConfiguredVersion()
    {
        QmpSessionOptions options = new() { Version = new QmpVersion(9, 1, 3, "pkg-x") };
        await using TestServer server = TestServer.Start(options);
        using RawConnection c = await server.ConnectRawAsync();
        Assert.Equal(
            "{\"QMP\":{\"version\":{\"qemu\":{\"micro\":3,\"minor\":1,\"major\":9},\"package\":\"pkg-x\"},\"capabilities\":[\"oob\"]}}",
            await c.ReadLineAsync());
    }

    [Fact]
    public async Task NegotiationModeAllowsOnlyQmpCapabilities()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.ReadLineAsync();
        await c.SendAsync("{\"execute\":\"query-version\"}\n");
        Assert.Equal(Err("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'"), await c.ReadLineAsync());
        await c.SendAsync("{\"execute\":\"no-such-command\",\"id\":1}\n");
        Assert.Equal(Err("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'", "1"), await c.ReadLineAsync());
        await c.SendAsync("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"foo\"]}}\n");
        Assert.Equal(Err("GenericError", "Parameter 'null' does not accept value 'foo'"), await c.ReadLineAsync());
        await c.SendAsync("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"bogus\":1}}\n");
        Assert.Equal(Err("GenericError", "Parameter 'bogus' is unexpected"), await c.ReadLineAsync());
        await c.SendAsync("[1]\n");
        Assert.Equal(Err("GenericError", "QMP input must be a JSON object"), await c.ReadLineAsync());
        await c.SendAsync("{\"execute\":\"qmp_capabilities\",\"id\":{\"a\":[1,2]}}\n");
        Assert.Equal("{\"return\":{},\"id\":{\"a\":[1,2]}}", await c.ReadLineAsync());
        await c.SendAsync("{\"execute\":\"qmp_capabilities\"}\n");
        Assert.Equal(Err("CommandNotFound", "Capabilities negotiation is already complete, command ignored"), await c.ReadLineAsync());
        await c.SendAsync("{\"execute\":\"query-version\",\"id\":2}\n");
        Assert.StartsWith("{\"return\":{\"qemu\":", await c.ReadLineAsync());
    }

    [Theory]
    // The scanned path: any member order, numbers and escapes as the client wrote them.
    [InlineData("{\"execute\":\"raw-args\",\"arguments\":{\"b\":[1.50,\"\\u00e9\"],\"a\":{}},\"id\":7}", "{\"b\":[1.50,\"\\u00e9\"],\"a\":{}}")]
    [InlineData("{\"id\":\"x\",\"arguments\":{\"n\":-0},\"execute\":\"raw-args\"}", "{\"n\":-0}")]
    [InlineData("{\"execute\":\"raw-args\",\"arguments\":{}}", "{}")]
    // No "arguments": an empty object.
    [InlineData("{\"execute\":\"raw-args\",\"id\":1}", "{}")]
    [InlineData("{\"execute\":\"raw-args\"}", "{}")]
    // The general path (duplicate members: the last wins) hands on the same kind of slice.
    [InlineData("{\"execute\":\"raw-args\",\"arguments\":{\"x\":1},\"arguments\":{\"y\":[2]}}", "{\"y\":[2]}")]
    [InlineData("{\"execute\":\"raw-args\",\"id\":1,\"id\":2,\"arguments\":{\"z\":null}}", "{\"z\":null}")]
    public async Task TheDispatcherGetsTheBytesOfTheArguments(string request, string expected)
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync(request + "\n");
        using JsonDocument reply = JsonDocument.Parse((await c.ReadLineAsync())!);
        Assert.Equal(expected, reply.RootElement.GetProperty("return").GetString());
    }

    [Theory]
    [InlineData("42", null, "GenericError", "QMP input must be a JSON object")]
    [InlineData("\"str\"", null, "GenericError", "QMP input must be a JSON object")]
    [InlineData("{}", null, "GenericError", "QMP input lacks member 'execute'")]
    [InlineData("{\"id\":1}", "1", "GenericError", "QMP input lacks member 'execute'")]
    [InlineData("{\"execute\":1,\"id\":2}", "2", "GenericError", "QMP input member 'execute' must be a string")]
    [InlineData("{\"execute\":\"query-version\",\"arguments\":[],\"id\":3}", "3", "GenericError", "QMP input member 'arguments' must be an object")]
    [InlineData("{\"execute\":\"query-version\",\"foo\":1,\"id\":4}", "4", "GenericError", "QMP input member 'foo' is unexpected")]
    [InlineData("{\"exec-oob\":\"ping-oob\",\"id\":5}", "5", "GenericError", "QMP input member 'exec-oob' is unexpected")]
    [InlineData("{\"execute\":\"nope\",\"id\":6}", "6", "CommandNotFound", "The command nope has not been found")]
    [InlineData("{\"execute\": }", null, "GenericError", "JSON parse error, expecting value")]
    [InlineData("{\"execute\":\"query-version\" \"id\":7}", null, "GenericError", "JSON parse error, expected separator in dict")]
    [InlineData("{\"execute\":\"query-version\",\"control\":1}", null, "GenericError", "QMP input member 'control' is unexpected")]
    [InlineData("{\"execute\":\"fail\",\"id\":\"f\"}", "\"f\"", "DeviceNotFound", "Device 'x' not found")]
    [InlineData("{\"execute\":\"boom\",\"id\":8}", "8", "GenericError", "kaboom")]
    public async Task RequestErrorsMatchQemu(string request, string? id, string cls, string desc)
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync(request + "\n");
        Assert.Equal(Err(cls, desc, id), await c.ReadLineAsync());
        // The session is still healthy afterwards.
        await c.SendAsync("{\"execute\":\"echo\",\"arguments\":{\"ok\":true}}\n");
        Assert.Equal("{\"return\":{\"ok\":true}}", await c.ReadLineAsync());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-1.5e3")]
    [InlineData("\"abc\\u00e9\"")]
    [InlineData("{\"a\":[1,{\"b\":null}],\"c\":\"\\\"\"}")]
    [InlineData("[true,false,null]")]
    [InlineData("null")]
    [InlineData("\"plain-id 7\"")]
    [InlineData("\"caf\u00e9\"")]
    public async Task IdIsEchoedVerbatim(string id)
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync("{\"id\": " + id + ", \"execute\": \"echo\"}\n");
        Assert.Equal("{\"return\":{},\"id\":" + id + "}", await c.ReadLineAsync());
        await c.SendAsync("{\"id\": " + id + ", \"execute\": \"nope\"}\n");
        Assert.Equal(Err("CommandNotFound", "The command nope has not been found", id), await c.ReadLineAsync());
        // The usual order, which simple ids take through the byte-for-byte match.
        await c.SendAsync("{\"execute\": \"echo\", \"id\": " + id + "}\n");
        Assert.Equal("{\"return\":{},\"id\":" + id + "}", await c.ReadLineAsync());
        await c.SendAsync("{\"execute\":\"nope\",\"id\":" + id + "}\n");
        Assert.Equal(Err("CommandNotFound", "The command nope has not been found", id), await c.ReadLineAsync());
    }

    [Fact]
    public async Task MalformedJsonIsAnsweredAndTheSessionRecovers()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync("{\"execute\": \"echo\", \"arguments\": {\"a\": \u0001\n{\"execute\":\"echo\",\"id\":1}\n");
        Assert.Equal(Err("GenericError", "JSON parse error, stray '\\u0001'"), await c.ReadLineAsync());
        Assert.Equal("{\"return\":{},\"id\":1}", await c.ReadLineAsync());
        await c.SendAsync("{'execute': 'echo', 'id': 'x\\'y'}{\"execute\":\"echo\",\"id\":2}");
        Assert.Equal("{\"return\":{},\"id\":\"x'y\"}", await c.ReadLineAsync());
        Assert.Equal("{\"return\":{},\"id\":2}", await c.ReadLineAsync());
    }

    [Fact]
    public async Task AHandWrittenReplyThatIsNotWellFormedBecomesAnErrorAndTheSessionGoesOn()
    {
        // Replies from generated writers skip the writer's structural checks; hand-written ones
        // (QmpReply.FromWriter) keep them, so a broken one is refused instead of sent.
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync("{\"execute\":\"bad-writer\",\"id\":1}\n");
        using (JsonDocument reply = JsonDocument.Parse(await c.ReadLineAsync() ?? "null"))
        {
            JsonElement error = reply.RootElement.GetProperty("error");
            Assert.Equal("GenericError", error.GetProperty("class").GetString());
            Assert.StartsWith("Internal error: ", error.GetProperty("desc").GetString());
            Assert.Equal(1, reply.RootElement.GetProperty("id").GetInt32());
        }
        await c.SendAsync("{\"execute\":\"echo\",\"id\":2}\n");
        Assert.Equal("{\"return\":{},\"id\":2}", await c.ReadLineAsync());
    }

    [Fact]
    public async Task ExecOobRunsOnlyWhenEnabledAndAllowedAndOvertakes()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync(oob: true);
        await c.SendAsync("{\"exec-oob\":\"query-version\",\"id\":5}\n");
        Assert.Equal(Err("GenericError", "The command query-version does not support OOB", "5"), await c.ReadLineAsync());

        // A slow in-band command is running; the oob command's reply must come first.
        await c.SendAsync("{\"execute\":\"slow\",\"arguments\":{\"ms\":1000},\"id\":\"slow\"}\n");
        await server.Dispatcher.SlowStarted.Task.WaitAsync(Timeouts.Default);
        await c.SendAsync("{\"exec-oob\":\"ping-oob\",\"id\":\"oob\"}\n");
        Assert.Equal("{\"return\":\"pong\",\"id\":\"oob\"}", await c.ReadLineAsync());
        Assert.Equal("{\"return\":1000,\"id\":\"slow\"}", await c.ReadLineAsync());
    }

    /// <summary>
    /// With oob enabled, a request naming both 'execute' and 'exec-oob' runs nothing: QEMU refuses
    /// the second key it meets, in its QDict order, where 'exec-oob' always comes first.
    /// </summary>
    [Theory]
    [InlineData("{\"execute\":\"echo\",\"exec-oob\":\"ping-oob\",\"id\":1}", "1", "QMP input member 'execute' clashes with 'exec-oob'")]
    [InlineData("{\"exec-oob\":\"ping-oob\",\"execute\":\"echo\",\"id\":2}", "2", "QMP input member 'execute' clashes with 'exec-oob'")]
    [InlineData("{\"exec-oob\":1,\"execute\":\"echo\",\"id\":3}", "3", "QMP input member 'exec-oob' must be a string")]
    [InlineData("{\"exec-oob\":\"ping-oob\",\"execute\":1,\"id\":4}", "4", "QMP input member 'execute' must be a string")]
    [InlineData("{\"execute\":1,\"exec-oob\":2,\"id\":5}", "5", "QMP input member 'exec-oob' must be a string")]
    public async Task ExecuteAndExecOobTogetherAreRefused(string request, string id, string desc)
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync(oob: true);
        await c.SendAsync(request + "\n");
        Assert.Equal(Err("GenericError", desc, id), await c.ReadLineAsync());
        await c.SendAsync("{\"exec-oob\":\"ping-oob\",\"id\":\"after\"}\n");
        Assert.Equal("{\"return\":\"pong\",\"id\":\"after\"}", await c.ReadLineAsync());
    }

    [Fact]
    public async Task InBandRequestArrivingDuringASlowOneWaitsForIt()
    {
        // The slow command starts alone, so the reader runs it inline; it is still running when
        // the next requests arrive, which must queue behind it while oob still overtakes.
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync(oob: true);
        await c.SendAsync("{\"execute\":\"slow\",\"arguments\":{\"ms\":300},\"id\":\"slow\"}\n");
        await server.Dispatcher.SlowStarted.Task.WaitAsync(Timeouts.Default);
        await c.SendAsync("{\"execute\":\"echo\",\"id\":\"after\"}\n");
        await c.SendAsync("{\"exec-oob\":\"ping-oob\",\"id\":\"oob\"}\n");
        Assert.Equal("{\"return\":\"pong\",\"id\":\"oob\"}", await c.ReadLineAsync());
        Assert.Equal("{\"return\":300,\"id\":\"slow\"}", await c.ReadLineAsync());
        Assert.Equal("{\"return\":{},\"id\":\"after\"}", await c.ReadLineAsync());
        // Back to one request at a time: answered at once.
        await c.SendAsync("{\"execute\":\"echo\",\"id\":\"last\"}\n");
        Assert.Equal("{\"return\":{},\"id\":\"last\"}", await c.ReadLineAsync());
    }

    [Fact]
    public async Task InBandRepliesKeepOrderWhenPipelined()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        System.Text.StringBuilder batch = new();
        batch.Append("{\"execute\":\"slow\",\"arguments\":{\"ms\":50},\"id\":0}");
        for (int i = 1; i < 50; i++)
        {
            batch.Append("{\"execute\":\"echo\",\"id\":").Append(i).Append('}');
        }
        await c.SendAsync(batch.ToString());
        Assert.Equal("{\"return\":50,\"id\":0}", await c.ReadLineAsync());
        for (int i = 1; i < 50; i++)
        {
            Assert.Equal("{\"return\":{},\"id\":" + i + "}", await c.ReadLineAsync());
        }
    }

    [Fact]
    public async Task NoResponseCommandSendsNothing()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync("{\"execute\":\"no-reply\",\"id\":1}{\"execute\":\"echo\",\"id\":2}");
        Assert.Equal("{\"return\":{},\"id\":2}", await c.ReadLineAsync());
    }

    [Fact]
    public async Task EventsReachOnlyNegotiatedSessionsWithTimestamp()
    {
        FixedClock clock = new(DateTimeOffset.FromUnixTimeSeconds(1258551470).AddTicks(8023840));
        Server.QmpEventHub hub = new(clock);
        await using TestServer server = TestServer.Start(hub: hub);
        using RawConnection c = await server.ConnectRawAsync();
        await c.ReadLineAsync();
        Assert.Equal(0, hub.SessionCount);
        hub.Emit("EARLY"); // not negotiated yet: not delivered
        await c.SendAsync("{\"execute\":\"qmp_capabilities\"}\n");
        Assert.Equal("{\"return\":{}}", await c.ReadLineAsync());
        Assert.Equal(1, hub.SessionCount);
        await c.SendAsync("{\"execute\":\"emit\",\"arguments\":{\"k\":\"v\"},\"id\":1}\n");
        Assert.Equal("{\"timestamp\":{\"seconds\":1258551470,\"microseconds\":802384},\"event\":\"TEST_EVENT\",\"data\":{\"k\":\"v\"}}", await c.ReadLineAsync());
        Assert.Equal("{\"return\":{},\"id\":1}", await c.ReadLineAsync());
        hub.Emit("POWERDOWN");
        Assert.Equal("{\"timestamp\":{\"seconds\":1258551470,\"microseconds\":802384},\"event\":\"POWERDOWN\"}", await c.ReadLineAsync());
        // The monitor subscribed the session when it negotiated; it leaves the hub when it ends.
        c.Dispose();
        DateTime until = DateTime.UtcNow + Timeouts.Default;
        while (hub.SessionCount != 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }
        Assert.Equal(0, hub.SessionCount);
    }

    [Fact]
    public async Task CloseAfterReplyDeliversTheReplyThenDisconnects()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync("{\"execute\":\"close-me\",\"id\":1}{\"execute\":\"echo\",\"id\":2}");
        Assert.Equal("{\"return\":{},\"id\":1}", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());
    }

    [Fact]
    public async Task CloseAfterReplyDeliversALargeReplyInFull()
    {
        // A reply far larger than the socket buffer cannot go out in one send: the session must
        // finish sending it before it tears the connection down.
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        string big = new('x', 900_000); // under the 1 MiB request limit, several times a socket buffer
        await c.SendAsync("{\"execute\":\"close-me\",\"arguments\":{\"s\":\"" + big + "\"},\"id\":1}\n");
        await Task.Delay(200);
        Assert.Equal("{\"return\":{\"s\":\"" + big + "\"},\"id\":1}", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());
    }

    [Fact]
    public async Task MonitorRemovingItselfAnswersFirst()
    {
        // monitor-remove of the monitor the command came in on: the reply is still sent.
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        await c.SendAsync("{\"execute\":\"remove-self\",\"id\":1}{\"execute\":\"echo\",\"id\":2}");
        Assert.Equal("{\"return\":{},\"id\":1}", await c.ReadLineAsync());
        Assert.Null(await c.ReadLineAsync());
        await server.Monitor.Completion.WaitAsync(Timeouts.Default);
        Assert.True(server.Monitor.IsStopped);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
