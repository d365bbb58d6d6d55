using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// A connected unix domain stream socket, with fd passing (SCM_RIGHTS) in both directions.
/// </summary>
/// <remarks>
/// <para>The socket is read by a thread of its own, asleep in a blocking peek
/// (<c>UnixSocketReceiver</c>, which says why it peeks); it is woken by data, EOF, or the
/// shutdown() that <see cref="QmpTransport.Abort"/> issues.</para>
/// <para>Output uses send/sendmsg(MSG_DONTWAIT | MSG_NOSIGNAL), fds riding on the first byte; a
/// full socket buffer (EAGAIN) is retried after a short, growing, cancellable delay, so a client
/// that does not read never blocks a thread.</para>
/// </remarks>
public sealed class UnixSocketTransport : QmpTransport
{
    /// <summary>QEMU's limit per read (TCP_MAX_FDS in chardev/char-socket.c).</summary>
    public const int DefaultMaxFdsPerMessage = 16;

    private readonly Socket _socket;
    private readonly int _maxFds;
    private readonly string _description;
    private readonly UnixSocketReceiver _receiver;
    private int _closed;

    /// <summary>Wraps a connected unix domain stream socket; the transport owns it.</summary>
    /// <param name="socket">A connected unix domain stream socket, in blocking mode.</param>
    /// <param name="maxFdsPerMessage">Most fds accepted with one message (1 to 253).</param>
    public UnixSocketTransport(Socket socket, int maxFdsPerMessage = DefaultMaxFdsPerMessage)
        : this(socket, maxFdsPerMessage, holdAnsweredBytes: true)
    {
    }

    /// <param name="socket">A connected unix stream socket; the transport owns it.</param>
    /// <param name="maxFdsPerMessage">Most fds accepted with one message.</param>
    /// <param name="holdAnsweredBytes">False takes a request's bytes out of the socket once
    /// handed on, as a kernel without a working SO_PEEK_OFF makes it (tests use it to reach that path).</param>
    internal UnixSocketTransport(Socket socket, int maxFdsPerMessage, bool holdAnsweredBytes)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        if (socket.AddressFamily != AddressFamily.Unix)
        {
            throw new ArgumentException("Not a unix domain socket.", nameof(socket));
        }
        _maxFds = Math.Clamp(maxFdsPerMessage, 1, 253); // SCM_MAX_FD
        _receiver = new UnixSocketReceiver(socket, _maxFds, holdAnsweredBytes);
        _description = $"unix:{(socket.LocalEndPoint?.ToString() is { Length: > 0 } local ? local : socket.RemoteEndPoint?.ToString())}";
    }

    /// <summary>True: fds travel with messages in both directions.</summary>
    public override bool SupportsFdPassing => true;

    /// <inheritdoc/>
    public override string Description => _description;

    /// <inheritdoc/>
    public override int MaxFdsPerMessage => _maxFds;

    /// <summary>Unix sockets receive on a thread of their own (a blocking peek); see <see cref="QmpTransport"/>.</summary>
    private protected override bool UsesDedicatedReceiveThread => true;

    /// <summary>The connected socket.</summary>
    public Socket Socket => _socket;

    /// <inheritdoc/>
    internal override bool PeerGone => _receiver.PeerHungUp();

    /// <inheritdoc/>
    private protected override ValueTask<ReceiveResult> ReceiveAsync(Memory<byte> buffer, List<SafeFileHandle> fds, CancellationToken cancellationToken) =>
        new(_receiver.Receive(buffer.Span, fds, cancellationToken)); // blocks: on the receive thread

    /// <inheritdoc/>
    private protected override void ReleasePeeked(int count) => _receiver.Release(count);

    /// <summary>
    /// Sends everything. With fds, the first chunk goes through sendmsg so the fds
    /// ride on its first byte; EAGAIN there (socket buffer full) is retried after a short,
    /// growing, cancellable delay, since .NET offers no "wait until writable" primitive; the
    /// rest of the data goes through the normal async send. A vanished peer surfaces as
    /// <see cref="IOException"/> (EPIPE/ECONNRESET) and never as SIGPIPE.
    /// </summary>
    public override async ValueTask SendAsync(ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle>? fds, CancellationToken cancellationToken)
    {
        try
        {
            // The socket stays in blocking mode for the receive thread, so .NET's async send
            // (which needs O_NONBLOCK) is not used: sendmsg(MSG_DONTWAIT) instead, fds on the
            // first chunk, EAGAIN retried after a short, growing, cancellable delay.
            IReadOnlyList<SafeHandle> attach = fds ?? Array.Empty<SafeHandle>();
            while (!data.IsEmpty)
            {
                int sent = await SendWithFdsAsync(data, attach, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
                attach = Array.Empty<SafeHandle>();
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

    /// <summary>One non-blocking send().</summary>
    internal override int TrySendNow(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || Volatile.Read(ref _closed) != 0)
        {
            return 0;
        }
        try
        {
            return Math.Max(0, TrySendWithFds(data, Array.Empty<SafeHandle>()));
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    private async ValueTask<int> SendWithFdsAsync(ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle> fds, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            throw new ArgumentException("File descriptors need at least one byte of data to travel with.", nameof(data));
        }
        int delayMs = 1;
        while (true)
        {
            int n = TrySendWithFds(data.Span, fds);
            if (n >= 0)
            {
                return n;
            }
            int errno = -n;
            if (errno == Libc.EINTR)
            {
                continue;
            }
            if (errno != Libc.EAGAIN)
            {
                throw new IOException($"sendmsg failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
            if (Volatile.Read(ref _closed) != 0)
            {
                throw new IOException("The transport is closed.");
            }
            await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, 50);
        }
    }

    private int TrySendWithFds(ReadOnlySpan<byte> data, IReadOnlyList<SafeHandle> fds)
    {
        Span<int> raw = stackalloc int[fds.Count];
        Span<bool> added = stackalloc bool[fds.Count];
        bool socketAdded = false;
        try
        {
            for (int i = 0; i < fds.Count; i++)
            {
                fds[i].DangerousAddRef(ref added[i]);
                raw[i] = (int)fds[i].DangerousGetHandle();
            }
            _socket.SafeHandle.DangerousAddRef(ref socketAdded);
            return ScmRights.Send((int)_socket.SafeHandle.DangerousGetHandle(), data, raw);
        }
        finally
        {
            if (socketAdded)
            {
                _socket.SafeHandle.DangerousRelease();
            }
            for (int i = 0; i < fds.Count; i++)
            {
                if (added[i])
                {
                    fds[i].DangerousRelease();
                }
            }
        }
    }

    /// <inheritdoc/>
    private protected override void CloseCore()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        _receiver.DrainBeforeClose();
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
