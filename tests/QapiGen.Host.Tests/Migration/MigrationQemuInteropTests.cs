using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// The migration commands against QEMU 7.2 (<c>-M none -S</c>, no -incoming): the answers that
/// must be the same, and the deliberate differences, pinned on both sides.
/// </summary>
public sealed class MigrationQemuInteropTests
{
    private static Step S(string send) => new(send);

    [QemuFact]
    public async Task SameAnswersAsQemu72()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await using RawQmp ours = await host.ConnectAsync();
        await using RawQmp theirs = await qemu.ConnectAsync();
        await Conversation.CompareAsync(ours, theirs,
            S("{\"execute\":\"query-migrate\"}"),
            S("{\"execute\":\"migrate_cancel\"}"),
            S("{\"execute\":\"migrate-incoming\",\"arguments\":{\"uri\":\"unix:/nonexistent/x.sock\"}}"),
            S("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"unix:/nonexistent/x.sock\",\"resume\":true}}"),
            S("{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":[{\"capability\":\"nope\",\"state\":true}]}}"),
            S("{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":[{\"capability\":\"events\",\"state\":true}]}}"),
            S("{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"multifd-channels\":0}}"),
            S("{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"max-bandwidth\":-1}}"),
            S("{\"execute\":\"query-migrate\"}"),
            S("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"fd:nosuch\"}}"));
    }

    [QemuFact]
    public async Task DeliberateDifferencesFromQemu72()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await using RawQmp ours = await host.ConnectAsync();
        await using RawQmp theirs = await qemu.ConnectAsync();
        Step[] steps =
        [
            S("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"fd:nosuch\"}}"),
            S("{\"execute\":\"query-migrate\"}"),
            S("{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"foo:bar\"}}"),
        ];
        List<JsonElement> mine = await Conversation.PlayAsync(ours, steps);
        List<JsonElement> qemus = await Conversation.PlayAsync(theirs, steps);

        // 1. A migrate refused while its transport is opened: QEMU 7.2 also records it as a failed
        //    migration in query-migrate; the host refuses without starting anything, so query-migrate
        //    still describes the previous migration (none here).
        Assert.Equal("failed", qemus[1].GetProperty("return").GetProperty("status").GetString());
        Assert.Equal("{}", mine[1].GetProperty("return").GetRawText());
        // 2. An unknown URI scheme: the host words it as QEMU 8.2 and later do.
        Assert.Equal("Parameter 'uri' expects a valid migration protocol", qemus[2].GetProperty("error").GetProperty("desc").GetString());
        Assert.Equal("unknown migration protocol: foo:bar", mine[2].GetProperty("error").GetProperty("desc").GetString());
    }

    /// <summary>
    /// After a completed migration (postmigrate) both refuse a second migrate with the same text,
    /// stop changes nothing, and cont makes migrating possible again.
    /// </summary>
    [QemuFact]
    public async Task PostmigrateRefusesMigrateUntilContLikeQemu72()
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using QemuProcess qemu = await QemuProcess.StartAsync();
        await using RawQmp ours = await host.ConnectAsync();
        await using RawQmp theirs = await qemu.ConnectAsync();
        const string Migrate = "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"exec:cat > /dev/null\"}}";
        foreach (RawQmp qmp in new[] { ours, theirs })
        {
            Assert.Equal("{}", (await qmp.ExecuteAsync(Migrate)).GetProperty("return").GetRawText());
            await WaitForMigrationStatusAsync(qmp, "completed");
        }
        await Conversation.CompareAsync(ours, theirs,
            S("{\"execute\":\"query-status\"}"),
            S(Migrate),
            S("{\"execute\":\"stop\"}"),
            S("{\"execute\":\"query-status\"}"),
            S(Migrate),
            S("{\"execute\":\"cont\"}"),
            S("{\"execute\":\"query-status\"}"),
            S(Migrate));
        foreach (RawQmp qmp in new[] { ours, theirs })
        {
            await WaitForMigrationStatusAsync(qmp, "completed");
        }
        await Conversation.CompareAsync(ours, theirs, S("{\"execute\":\"query-status\"}"));
    }

    private static async Task WaitForMigrationStatusAsync(RawQmp qmp, string status)
    {
        System.DateTime deadline = System.DateTime.UtcNow + System.TimeSpan.FromSeconds(60);
        while (true)
        {
            JsonElement info = (await qmp.ExecuteAsync("{\"execute\":\"query-migrate\"}")).GetProperty("return");
            string? now = info.TryGetProperty("status", out JsonElement s) ? s.GetString() : null;
            if (now == status)
            {
                return;
            }
            Assert.True(now is null or "setup" or "active" or "device", $"migration {now}, never {status}: {info}");
            Assert.True(System.DateTime.UtcNow < deadline, $"migration still {now}");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// The texts of transports that cannot be reached are QEMU 7.2's (strerror with QEMU's
    /// prefixes), outgoing and incoming. Outgoing, QEMU answers migrate and fails the migration with
    /// the text as error-desc; the host does the same for connect failures and refuses the command
    /// with the same text for a path that cannot be a socket address at all (too long).
    /// </summary>
    [QemuFact]
    public async Task UnreachableTransportsAreWordedAsQemu72()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-migtexts-" + System.Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        string plain = Path.Combine(dir, "plain");
        File.WriteAllBytes(plain, [1]);
        string tooLong = Path.Combine(dir, new string('a', 120) + ".sock");
        using System.Net.Sockets.Socket busy = new(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        busy.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        busy.Listen();
        int busyPort = ((System.Net.IPEndPoint)busy.LocalEndPoint!).Port;
        try
        {
            string[] outgoing =
            [
                "unix:/nonexistent/x.sock",   // ENOENT: .NET says "Cannot assign requested address"
                "unix:" + plain,              // ECONNREFUSED
                "unix:" + plain + "/x.sock",  // ENOTDIR: .NET says "Unknown socket error"
                "unix:" + tooLong,
                "tcp:127.0.0.1:" + FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), // ECONNREFUSED, named as written
            ];
            await using (TestHost host = await TestHost.StartAsync("-S"))
            await using (QemuProcess qemu = await QemuProcess.StartAsync())
            await using (RawQmp ours = await host.ConnectAsync())
            await using (RawQmp theirs = await qemu.ConnectAsync())
            {
                foreach (string uri in outgoing)
                {
                    string request = "{\"execute\":\"migrate\",\"arguments\":{\"uri\":" + JsonSerializer.Serialize(uri) + "}}";
                    Assert.Equal(await ErrorTextAsync(theirs, request), await ErrorTextAsync(ours, request));
                }
            }

            string[] incoming =
            [
                "unix:/nonexistent/x.sock",
                "unix:" + tooLong,
                "unix:" + plain + "/x.sock",
                "tcp:127.0.0.1:" + busyPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ];
            await using (TestHost host = await TestHost.StartAsync("-S", "-incoming", "defer"))
            await using (QemuProcess qemu = await QemuProcess.StartAsync("-incoming", "defer"))
            await using (RawQmp ours = await host.ConnectAsync())
            await using (RawQmp theirs = await qemu.ConnectAsync())
            {
                foreach (string uri in incoming)
                {
                    string request = "{\"execute\":\"migrate-incoming\",\"arguments\":{\"uri\":" + JsonSerializer.Serialize(uri) + "}}";
                    string qemus = (await theirs.ExecuteAsync(request)).GetProperty("error").GetProperty("desc").GetString()!;
                    string mine = (await ours.ExecuteAsync(request)).GetProperty("error").GetProperty("desc").GetString()!;
                    Assert.Equal(qemus, mine);
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    private static int FreePort()
    {
        using System.Net.Sockets.Socket probe = new(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>The command's error, or, when the command was accepted, the migration's error-desc once it has failed.</summary>
    private static async Task<string> ErrorTextAsync(RawQmp qmp, string request)
    {
        JsonElement reply = await qmp.ExecuteAsync(request);
        if (reply.TryGetProperty("error", out JsonElement error))
        {
            return error.GetProperty("desc").GetString()!;
        }
        await WaitForMigrationStatusAsync(qmp, "failed");
        return (await qmp.ExecuteAsync("{\"execute\":\"query-migrate\"}")).GetProperty("return").GetProperty("error-desc").GetString()!;
    }
}
