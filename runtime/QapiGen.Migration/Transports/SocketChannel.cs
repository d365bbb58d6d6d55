using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Migration.Transports;

/// <summary>A connected stream socket (unix, tcp, or one passed by fd), driven with async socket I/O.</summary>
internal sealed class SocketChannel : MigrationChannel
{
    private readonly Socket _socket;
    private int _closed;

    public SocketChannel(Socket socket, string description)
    {
        _socket = socket;
        Description = description;
    }

    public override string Description { get; }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent;
            try
            {
                sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
            {
                throw new System.IO.IOException($"Unable to write to {Description}: {Reason(e)}", e);
            }

            data = data[sent..];
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw new System.IO.IOException($"Unable to read from {Description}: {Reason(e)}", e);
        }
    }

    public override ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer may already have closed after reading the end marker.
        }

        return ValueTask.CompletedTask;
    }

    public override void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            // Disposing completes pending SendAsync/ReceiveAsync with an error at once.
            _socket.Dispose();
        }
    }

    public override ValueTask DisposeAsync()
    {
        Abort();
        return ValueTask.CompletedTask;
    }

    private static string Reason(Exception e) => e switch
    {
        SocketException s => s.Message,
        _ => "the channel was closed",
    };
}
