using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Transports;

/// <summary>stdio as a listener: there is exactly one client, handed out once.</summary>
public sealed class StdioListener : QmpListener
{
    private int _accepted;

    /// <inheritdoc/>
    public override string Description => "stdio";

    /// <summary>The one connection: standard input and output (once).</summary>
    public override async ValueTask<QmpTransport> AcceptAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _accepted, 1) == 0)
        {
            return StreamTransport.CreateStdio();
        }
        // Nobody else can ever connect to stdio.
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new TaskCanceledException();
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
