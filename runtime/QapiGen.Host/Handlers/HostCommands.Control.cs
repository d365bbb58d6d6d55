using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Handlers;

/// <summary>query-version, query-commands, quit.</summary>
public sealed partial class HostCommands
{
    private static readonly IReadOnlyList<CommandInfo> AllCommands = BuildCommandList();

    public ValueTask<VersionInfo> QueryVersionAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        // One immutable object built at start: query-version is on the benchmarked hot path.
        ValueTask.FromResult(_host.VersionInfo);

    public ValueTask<IReadOnlyList<CommandInfo>> QueryCommandsAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AllCommands);

    /// <summary>
    /// quit: the reply goes out first, then SHUTDOWN (reason host-qmp-quit) to every monitor,
    /// then the host stops, flushing what each client still has queued.
    /// </summary>
    public ValueTask QuitAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        context.AfterReply(() => _host.RequestShutdown(ShutdownCause.HostQmpQuit));
        return ValueTask.CompletedTask;
    }

    private static IReadOnlyList<CommandInfo> BuildCommandList()
    {
        List<CommandInfo> list = new(QapiDispatcher.Commands.Count);
        foreach (QmpCommandInfo command in QapiDispatcher.Commands)
        {
            list.Add(new CommandInfo { Name = command.Name });
        }
        return list;
    }
}
