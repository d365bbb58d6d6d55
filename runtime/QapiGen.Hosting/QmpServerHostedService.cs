using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;

namespace QapiGen.Hosting;

/// <summary>
/// Runs one <see cref="QmpServer"/> for the host's lifetime: built and started in
/// <see cref="StartAsync"/> (a failure to listen fails the host's start), stopped gracefully in
/// <see cref="StopAsync"/>, whose token the host cancels when its shutdown timeout runs out.
/// </summary>
internal sealed class QmpServerHostedService : IHostedService, IAsyncDisposable
{
    /// <summary>The log category.</summary>
    internal const string Category = "QapiGen.Hosting.QmpServer";

    private readonly IServiceProvider _services;
    private readonly QmpServerBuilder _builder;
    private readonly ILogger _logger;
    private QmpServer? _server;

    public QmpServerHostedService(IServiceProvider services, QmpServerBuilder builder)
    {
        _services = services;
        _builder = builder;
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(Category);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Func<IServiceProvider, IQmpDispatcher> factory = _builder.DispatcherFactory
            ?? throw new InvalidOperationException("AddQmpServer(...) serves no command table: call .AddDispatcher<QapiDispatcher>() (or AddDispatcher(services => ...)) on its result.");
        QmpServerOptions options = new() { Events = _services.GetRequiredService<QmpEventHub>() };
        _builder.Configure(options);
        AddLogging(options);
        QmpServer server = new(new LoggingDispatcher(factory(_services), _logger), options);
        _server = server;
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (QmpListener listener in server.Listeners)
        {
            Log.Listening(_logger, listener.Description, options.MaxClientsPerEndpoint);
        }
    }

    private void AddLogging(QmpServerOptions options)
    {
        ILogger logger = _logger;
        Action<QmpSession>? started = options.SessionStarted;
        Action<QmpSession>? ended = options.SessionEnded;
        Action<QmpSession, string, Exception>? unhandled = options.Session.UnhandledException;
        options.SessionStarted = session =>
        {
            Log.SessionOpened(logger, session.Id, session.Transport.Description);
            started?.Invoke(session);
        };
        options.SessionEnded = session =>
        {
            Log.SessionClosed(logger, session.Id);
            ended?.Invoke(session);
        };
        options.Session = options.Session with
        {
            UnhandledException = (session, where, exception) =>
            {
                Log.UnexpectedException(logger, session.Id, where, exception);
                unhandled?.Invoke(session, where, exception);
            },
        };
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not { } server)
        {
            return;
        }
        Log.Stopping(_logger);
        await server.StopAsync(cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            Log.StopTimedOut(_logger);
        }
        else
        {
            Log.Stopped(_logger);
        }
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
