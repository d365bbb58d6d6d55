using System;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;
using QapiGen.Samples.GuestAgent.Qga;

namespace QapiGen.Samples.GuestAgent;

/// <summary>
/// The agent serving a unix socket, one client at a time (as <c>qemu-ga -m unix-listen -p PATH</c>
/// does): the generated dispatcher over <see cref="AgentCommands"/>, run by a monitor whose
/// sessions speak the guest-agent dialect.
/// </summary>
public sealed class GuestAgentServer : IAsyncDisposable
{
    private static readonly QmpSessionOptions Options = new() { Dialect = QmpDialect.GuestAgent };

    private readonly QmpMonitor _monitor;
    private readonly AgentCommands _commands;

    private GuestAgentServer(string socketPath, QmpMonitor monitor, AgentCommands commands)
    {
        SocketPath = socketPath;
        _monitor = monitor;
        _commands = commands;
    }

    public string SocketPath { get; }

    /// <summary>Completes when the agent stopped serving.</summary>
    public Task Completion => _monitor.Completion;

    /// <summary>Listens on <paramref name="socketPath"/> (created; an existing socket file is replaced) and serves in the background.</summary>
    public static GuestAgentServer Start(string socketPath)
    {
        AgentCommands commands = new();
        UnixSocketListener listener = new(socketPath);
        QmpMonitor monitor = new("qga", listener, new QapiDispatcher(commands), Options, ownsListener: true);
        monitor.Start();
        return new GuestAgentServer(socketPath, monitor, commands);
    }

    /// <summary>Stops serving (the connected client is dropped), closes the files still open.</summary>
    public async ValueTask DisposeAsync()
    {
        await _monitor.DisposeAsync().ConfigureAwait(false);
        await _commands.DisposeAsync().ConfigureAwait(false);
    }
}
