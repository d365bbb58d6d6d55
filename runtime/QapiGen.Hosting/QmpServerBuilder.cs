using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;

namespace QapiGen.Hosting;

/// <summary>
/// One QMP server registered by <see cref="QmpServiceCollectionExtensions.AddQmpServer"/>: name
/// the command table it serves with <see cref="AddDispatcher(Func{IServiceProvider, IQmpDispatcher})"/>.
/// </summary>
public sealed class QmpServerBuilder
{
    internal QmpServerBuilder(IServiceCollection services, Action<QmpServerOptions> configure)
    {
        Services = services;
        Configure = configure;
    }

    /// <summary>The services the server was added to.</summary>
    public IServiceCollection Services { get; }

    internal Action<QmpServerOptions> Configure { get; }

    internal Func<IServiceProvider, IQmpDispatcher>? DispatcherFactory { get; private set; }

    /// <summary>
    /// Serves the command table <paramref name="factory"/> makes. It is called once, when the host
    /// starts, with the host's root services: the table and its handlers serve every session for the
    /// server's lifetime (register handlers as singletons; a handler that needs scoped services
    /// creates a scope per command with <see cref="IServiceScopeFactory"/>).
    /// </summary>
    /// <returns>This builder.</returns>
    public QmpServerBuilder AddDispatcher(Func<IServiceProvider, IQmpDispatcher> factory)
    {
        DispatcherFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        return this;
    }

    /// <summary>
    /// Serves a <typeparamref name="TDispatcher"/> built from the host's services, e.g. the generated
    /// <c>QapiDispatcher</c>, whose constructor takes the <c>IQapiCommands</c> registered with
    /// <c>services.AddSingleton&lt;IQapiCommands, MyCommands&gt;()</c>.
    /// </summary>
    /// <returns>This builder.</returns>
    public QmpServerBuilder AddDispatcher<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDispatcher>()
        where TDispatcher : IQmpDispatcher =>
        AddDispatcher(static services => ActivatorUtilities.CreateInstance<TDispatcher>(services));
}
