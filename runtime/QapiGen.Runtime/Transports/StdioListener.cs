using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Transports;

/// <summary>stdio as a listener: there is exactly one client, handed out once.</summary>
public sealed class StdioListener : QmpListener
{
    private int _accepted;

    public override string Description => "stdio";

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

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
