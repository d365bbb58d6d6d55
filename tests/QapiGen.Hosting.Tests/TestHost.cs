using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QapiGen.Hosting.Tests.Api;

namespace QapiGen.Hosting.Tests;

/// <summary>
/// A generic host as an application builds it, serving the test API on a unix socket in a
/// private directory, with its log entries recorded.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly string _dir;

    private TestHost(string dir, IHost host, RecordingLoggerProvider logs)
    {
        _dir = dir;
        Host = host;
        Logs = logs;
    }

    public IHost Host { get; }

    public RecordingLoggerProvider Logs { get; }

    public HoldGate Gate => Host.Services.GetRequiredService<HoldGate>();

    public string SocketPath => Path.Combine(_dir, "api.sock");

    public string Endpoint => "unix:" + SocketPath;

    /// <param name="shutdownTimeout">The host's shutdown timeout, when not the default.</param>
    /// <param name="environment">The host's environment, when not the default (Production).</param>
    /// <param name="services">Registrations after the usual ones (the last registration of a service wins).</param>
    public static async Task<TestHost> StartAsync(TimeSpan? shutdownTimeout = null, string? environment = null, Action<IServiceCollection>? services = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-hosting-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        RecordingLoggerProvider logs = new();

        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Logging.ClearProviders().AddProvider(logs);
        if (shutdownTimeout is { } timeout)
        {
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
        }
        builder.Services.AddSingleton(new Salutation("Good morning"));
        builder.Services.AddSingleton<HoldGate>();
        builder.Services.AddSingleton<IQapiCommands, TestCommands>();
        builder.Services.AddQmpServer(o => o.Listen("unix:" + Path.Combine(dir, "api.sock"))).AddDispatcher<QapiDispatcher>();
        services?.Invoke(builder.Services);

        IHost host = builder.Build();
        TestHost started = new(dir, host, logs);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
