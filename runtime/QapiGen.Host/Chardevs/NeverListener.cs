using System;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Chardevs;

/// <summary>A listener nobody can connect to (the null chardev): accepting waits until cancelled or disposed.</summary>
internal sealed class NeverListener : QmpListener
{
    private readonly CancellationTokenSource _disposed = new();

    public override string Description => "null";

    public override async ValueTask<QmpTransport> AcceptAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(NeverListener));
        }
        throw new OperationCanceledException(cancellationToken);
    }

    public override ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        return ValueTask.CompletedTask;
    }
}
