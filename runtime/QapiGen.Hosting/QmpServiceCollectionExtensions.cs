using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using QapiGen.Hosting;
using QapiGen.Runtime.Server;

// Where AddXxx extensions of IServiceCollection live, so they need no using of their own.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers QMP servers with a generic host.</summary>
public static class QmpServiceCollectionExtensions
{
    /// <summary>
    /// Adds a QMP server that runs while the host does: it listens when the host starts, logs
    /// sessions and failed commands through <c>ILogger</c> (category <c>QapiGen.Hosting.QmpServer</c>),
    /// and stops gracefully when the host stops, within its shutdown timeout. Each call adds one
    /// server; all of them share the <see cref="QmpEventHub"/> registered as a singleton (handlers
    /// and other services take it to emit events), unless <see cref="QmpServerOptions.Events"/> is set.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the endpoints (<see cref="QmpServerOptions.Listen(string)"/>) and options; run when the host starts.</param>
    /// <returns>A builder on which to name the command table (<see cref="QmpServerBuilder.AddDispatcher{TDispatcher}"/>).</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddSingleton&lt;IQapiCommands, DeviceCommands&gt;();
    /// builder.Services.AddQmpServer(o =&gt; o.Listen("unix:./devices.sock")).AddDispatcher&lt;QapiDispatcher&gt;();
    /// </code>
    /// </example>
    public static QmpServerBuilder AddQmpServer(this IServiceCollection services, Action<QmpServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(static services => new QmpEventHub(services.GetService<TimeProvider>()));
        QmpServerBuilder builder = new(services, configure);
        // A factory per server, not AddHostedService<T>: that would register one service for all calls.
        services.AddSingleton<IHostedService>(services => new QmpServerHostedService(services, builder));
        return builder;
    }
}
