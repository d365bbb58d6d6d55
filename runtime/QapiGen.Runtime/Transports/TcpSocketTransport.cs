using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// A connected TCP socket, read and written with .NET's own async socket operations. No fd
/// passing: a message that comes with fds is refused by the sender.
/// </summary>
public sealed class TcpSocketTransport : QmpTransport
{
    private readonly Socket _socket;
    private readonly string _description;
    private int _closed;

    /// <summary>Wraps a connected TCP socket; the transport owns it.</summary>
    public TcpSocketTransport(Socket socket)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        if (socket.ProtocolType != ProtocolType.Tcp)
        {
            throw new ArgumentException("Not a TCP socket.", nameof(socket));
        }
        // Replies are whole messages; do not let Nagle hold them back.
        _socket.NoDelay = true;
        _description = $"tcp:{socket.LocalEndPoint}<->{socket.RemoteEndPoint}";
    }

    /// <inheritdoc/>
    public override string Description => _description;

    /// <summary>The connected socket.</summary>
    public Socket Socket => _socket;

    /// <inheritdoc/>
    private protected override async ValueTask<ReceiveResult> ReceiveAsync(Memory<byte> buffer, List<SafeFileHandle> fds, CancellationToken cancellationToken)
    {
        try
        {
            return new ReceiveResult(await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false));
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return new ReceiveResult(0);
        }
    }

    /// <summary>
    /// Sends everything. A vanished peer surfaces as <see cref="IOException"/>; fds cannot travel
    /// over TCP (<see cref="NotSupportedException"/>).
    /// </summary>
    public override async ValueTask SendAsync(ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle>? fds, CancellationToken cancellationToken)
    {
        if (fds is { Count: > 0 })
        {
            throw new NotSupportedException("File descriptors can only be passed over unix sockets.");
        }
        try
        {
            while (!data.IsEmpty)
            {
                int n = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[n..];
            }
        }
        catch (SocketException ex)
        {
            throw new IOException($"send failed: {ex.SocketErrorCode}", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new IOException("The transport is closed.", ex);
        }
    }

    /// <inheritdoc/>
    private protected override void CloseCore()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }
}
