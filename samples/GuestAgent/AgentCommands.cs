using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Samples.GuestAgent.Qga;

namespace QapiGen.Samples.GuestAgent;

/// <summary>
/// The agent's commands (the generated <see cref="IQapiCommands"/>). Open files and started
/// programs belong to the agent, not to a connection: as with qemu-ga, a client may open a file,
/// reconnect, and go on with the same handle.
/// </summary>
public sealed class AgentCommands : IQapiCommands, IAsyncDisposable
{
    private readonly GuestFiles _files = new();
    private readonly GuestPrograms _programs = new();

    /// <summary>The text <c>guest-info</c> reports as the version (the assembly's informational version).</summary>
    public static string Version { get; } =
        typeof(AgentCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public ValueTask GuestPingAsync(QmpCommandContext context, CancellationToken cancellationToken) => default;

    // The schema declares the sync commands (so clients generated from it speak the guest-agent
    // dialect), hence these handlers; the runtime's guest-agent session puts the 0xFF before
    // guest-sync-delimited's reply, and would answer both itself for a schema without them.
    public ValueTask<long> GuestSyncAsync(QmpCommandContext context, long id, CancellationToken cancellationToken) => new(id);

    public ValueTask<long> GuestSyncDelimitedAsync(QmpCommandContext context, long id, CancellationToken cancellationToken) => new(id);

    public ValueTask<GuestAgentInfo> GuestInfoAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        List<GuestAgentCommandInfo> commands = new();
        foreach (QmpCommandInfo command in QapiDispatcher.Commands)
        {
            commands.Add(new GuestAgentCommandInfo { Name = command.Name, Enabled = true, SuccessResponse = command.SuccessResponse });
        }
        return new(new GuestAgentInfo { Version = Version, SupportedCommands = commands });
    }

    public ValueTask<long> GuestGetTimeAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        new((DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100);

    public ValueTask<long> GuestFileOpenAsync(QmpCommandContext context, string path, string? mode, CancellationToken cancellationToken) =>
        new(_files.Open(path, mode ?? "r"));

    public ValueTask GuestFileCloseAsync(QmpCommandContext context, long handle, CancellationToken cancellationToken) =>
        _files.CloseAsync(handle);

    public ValueTask<GuestFileRead> GuestFileReadAsync(QmpCommandContext context, long handle, long? count, CancellationToken cancellationToken) =>
        _files.ReadAsync(handle, count ?? GuestFiles.DefaultReadCount, cancellationToken);

    public ValueTask<GuestFileWrite> GuestFileWriteAsync(QmpCommandContext context, long handle, string bufB64, long? count, CancellationToken cancellationToken) =>
        _files.WriteAsync(handle, bufB64, count, cancellationToken);

    public ValueTask<GuestFileSeek> GuestFileSeekAsync(QmpCommandContext context, long handle, long offset, GuestFileWhence whence, CancellationToken cancellationToken) =>
        new(_files.Seek(handle, offset, whence));

    public ValueTask GuestFileFlushAsync(QmpCommandContext context, long handle, CancellationToken cancellationToken) =>
        _files.FlushAsync(handle, cancellationToken);

    public ValueTask<GuestExec> GuestExecAsync(QmpCommandContext context, string path, IReadOnlyList<string>? arg, IReadOnlyList<string>? env,
        string? inputData, bool? captureOutput, CancellationToken cancellationToken) =>
        new(_programs.Start(path, arg, env, inputData, captureOutput ?? false));

    public ValueTask<GuestExecStatus> GuestExecStatusAsync(QmpCommandContext context, long pid, CancellationToken cancellationToken) =>
        new(_programs.Status(pid));

    /// <summary>Closes the files still open and lets go of the programs (they keep running, as qemu-ga's do).</summary>
    public async ValueTask DisposeAsync()
    {
        await _files.DisposeAsync().ConfigureAwait(false);
        _programs.Dispose();
    }
}
