using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QapiGen.Hosting.Tests.Api;
using QapiGen.Runtime.Protocol;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Hosting.Tests;

/// <summary>
/// AddQmpServer in a real generic host: the generated API served on a unix socket with handlers
/// from dependency injection, what is logged, the graceful stop, and nothing left open.
/// </summary>
[Collection(FdCountingCollection.Name)]
public sealed class HostingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheHostServesTheGeneratedApiToSeveralClientsWithHandlersFromDependencyInjection()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using QapiClient first = await QapiClient.ConnectAsync(host.Endpoint);
        await using QapiClient second = await QapiClient.ConnectAsync(host.Endpoint);

        Assert.Equal("Good morning, Ada", (await first.GreetAsync("Ada")).Text);
        Assert.Equal("Good morning, Alan", (await second.GreetAsync("Alan")).Text);

        LogEntry listening = await host.Logs.WaitForAsync(e => e.EventId == 1);
        Assert.Equal(LogLevel.Information, listening.Level);
        Assert.Equal($"QMP server listening on unix:{host.SocketPath},server=on, 16 clients at once", listening.Message);
        LogEntry opened = await host.Logs.WaitForAsync(e => e.EventId == 2);
        Assert.Equal("QapiGen.Hosting.QmpServer", opened.Category);
        Assert.StartsWith("QMP session ", opened.Message);
        string sessionId = opened.Message.Split(' ')[2];
        await first.DisposeAsync();
        await host.Logs.WaitForAsync(e => e.EventId == 3 && e.Message == $"QMP session {sessionId} closed");
    }

    [Fact]
    public async Task FailedCommandsAreLoggedWithTheirErrorAndUnexpectedExceptionsAtError()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using QapiClient client = await QapiClient.ConnectAsync(host.Endpoint);

        QmpException refused = await Assert.ThrowsAsync<QmpException>(() => client.GreetAsync(""));
        Assert.Equal("Nobody to greet", refused.Description);
        LogEntry failed = await host.Logs.WaitForAsync(e => e.EventId == 4 && e.Message.Contains("greet failed", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, failed.Level);
        Assert.EndsWith(": greet failed: GenericError: Nobody to greet", failed.Message);

        // An argument the generated table rejects is a failed command too.
        await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("greet"));
        await host.Logs.WaitForAsync(e => e.EventId == 4 && e.Message.EndsWith("greet failed: GenericError: Parameter 'name' is missing", StringComparison.Ordinal));

        QmpException crashed = await Assert.ThrowsAsync<QmpException>(() => client.CrashAsync());
        Assert.Equal("a bug in a handler", crashed.Description);
        LogEntry bug = await host.Logs.WaitForAsync(e => e.EventId == 5);
        Assert.Equal(LogLevel.Error, bug.Level);
        Assert.EndsWith("unexpected exception in crash", bug.Message);
        Assert.IsType<InvalidOperationException>(bug.Exception);
        Assert.DoesNotContain(host.Logs.Entries, e => e.EventId == 4 && e.Message.Contains("crash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppingTheHostLetsARunningHandlerReplyThenClosesTheSession()
    {
        await using TestHost host = await TestHost.StartAsync();
        await using QapiClient client = await QapiClient.ConnectAsync(host.Endpoint);
        Task<Greeting> held = client.HoldAsync();
        await host.Gate.Started.Task.WaitAsync(Timeout);

        Task stop = host.Host.StopAsync();
        await host.Logs.WaitForAsync(e => e.EventId == 6);
        await WaitUntilAsync(() => !File.Exists(host.SocketPath)); // new clients are refused
        Assert.False(stop.IsCompleted); // the stop waits for the handler, which cannot finish yet

        host.Gate.Release.TrySetResult();
        Assert.Equal("released", (await held.WaitAsync(Timeout)).Text);
        await stop.WaitAsync(Timeout);
        await client.Completion.WaitAsync(Timeout); // the server closed the connection
        Assert.False(host.Gate.Cancelled.Task.IsCompleted);
        await host.Logs.WaitForAsync(e => e.EventId == 7);
    }

    [Fact]
    public async Task TheHostsShutdownTimeoutBoundsTheStopAndCancelsHandlersStillRunning()
    {
        await using TestHost host = await TestHost.StartAsync(shutdownTimeout: TimeSpan.FromSeconds(1));
        await using QapiClient client = await QapiClient.ConnectAsync(host.Endpoint);
        Task<Greeting> held = client.HoldAsync();
        await host.Gate.Started.Task.WaitAsync(Timeout);

        await host.Host.StopAsync().WaitAsync(Timeout);
        Assert.True(await host.Gate.Cancelled.Task.WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => held.WaitAsync(Timeout));
        LogEntry timedOut = await host.Logs.WaitForAsync(e => e.EventId == 8);
        Assert.Equal(LogLevel.Warning, timedOut.Level);
    }

    [Fact]
    public async Task ScopedHandlersFailTheStartOfADevelopmentHostInsteadOfBecomingSingletons()
    {
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestHost.StartAsync(
            environment: Environments.Development,
            services: s => s.AddScoped<IQapiCommands, TestCommands>()));
        Assert.Contains("scoped service", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(IQapiCommands), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostWithoutADispatcherFailsItsStartSayingWhatIsMissing()
    {
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestHost.StartAsync(
            services: s => s.AddQmpServer(o => o.Listen("tcp:127.0.0.1:0"))));
        Assert.Contains("AddDispatcher", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostThatServedAndStoppedLeavesNoFdOpen()
    {
        await ServeAndStopAsync(clients: 2); // warm up: the runtime opens some files lazily
        int before = FdCount.Now();
        await ServeAndStopAsync(clients: 8);
        int after = FdCount.Now();
        Assert.True(after <= before + 2, $"the host leaked fds: {before} -> {after}");
    }

    private static async Task ServeAndStopAsync(int clients)
    {
        TestHost host = await TestHost.StartAsync();
        List<QapiClient> open = new();
        try
        {
            for (int i = 0; i < clients; i++)
            {
                QapiClient client = await QapiClient.ConnectAsync(host.Endpoint);
                open.Add(client);
                await client.GreetAsync("client " + i);
            }
            await open[0].DisposeAsync(); // one leaves, the others are still connected at the stop
        }
        finally
        {
            await host.DisposeAsync();
        }
        for (int i = 1; i < open.Count; i++)
        {
            await open[i].Completion.WaitAsync(Timeout);
            await open[i].DisposeAsync();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
