using System;
using System.Text;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests;

/// <summary><c>guest-exec</c> through the helper, against the real qemu-ga.</summary>
[Collection(FdCountingCollection.Name)]
public class ExecTests
{
    private static readonly QgaClientOptions Generous = new() { Timeout = TimeSpan.FromSeconds(60) };

    [QemuGaFact]
    public async Task EchoOutputIsCapturedAndExitAwaited()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, Generous);

        QgaExecResult echo = await client.ExecAsync("/bin/echo", ["hello", "guest agent"]);
        Assert.Equal(0, echo.ExitCode);
        Assert.Null(echo.Signal);
        Assert.Equal("hello guest agent\n", echo.StandardOutputText);
        Assert.True(echo.StandardError.IsEmpty);
        Assert.True(echo.Pid > 0);

        QgaExecResult failing = await client.ExecAsync("/bin/sh", ["-c", "echo oops >&2; exit 3"]);
        Assert.Equal(3, failing.ExitCode);
        Assert.Equal("oops\n", failing.StandardErrorText);

        QgaExecResult cat = await client.ExecAsync("/bin/cat", input: Encoding.UTF8.GetBytes("from stdin\n"));
        Assert.Equal("from stdin\n", cat.StandardOutputText);

        QgaExecResult env = await client.ExecAsync("/usr/bin/env", environment: ["ONLY=this"]);
        Assert.Equal("ONLY=this\n", env.StandardOutputText);

        QgaExecResult killed = await client.ExecAsync("/bin/sh", ["-c", "kill -TERM $$"]);
        Assert.Null(killed.ExitCode);
        Assert.Equal(15, killed.Signal);

        // A program that cannot start is the agent's typed error.
        QmpException missing = await Assert.ThrowsAsync<QmpException>(() => client.ExecAsync("/no/such/program"));
        Assert.NotEmpty(missing.ErrorClass);
    }
}
