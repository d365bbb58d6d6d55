using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Native;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// A connected stream socket: unix domain (with SCM_RIGHTS in both directions) or TCP.
/// </summary>
/// <remarks>
/// <para>Unix sockets are kept in blocking mode and read by a thread of their own with a blocking
/// recvmsg (the thread is woken by data, EOF, or the shutdown() that <see cref="QmpTransport.Abort"/>
/// issues). That recvmsg peeks: a request's bytes leave the socket only after they have been
/// handed on, and so usually after their reply has been sent. Taking them out earlier frees the
/// sender's buffer space, and Linux then wakes the client, asleep waiting for its reply, to look
/// for that space: one extra wake-up of another CPU per request, and when the reply comes later
/// than the client takes to fall asleep again, a second one for the reply. Peeking leaves one
/// wake-up, for the reply, for a second system call. Bytes that came with fds are read for real
/// at once (the peek, which has no room for them, reports their presence).</para>
/// <para>Output uses send/sendmsg(MSG_DONTWAIT |
/// MSG_NOSIGNAL), fds riding on the first byte; a full socket buffer (EAGAIN) is retried after a
/// short, growing, cancellable delay, so a client that does not read never blocks a thread.
/// TCP uses .NET's own async socket operations.</para>
/// </remarks>
public sealed class SocketTransport : QmpTransport
{
    /// <summary>QEMU's limit per read (TCP_MAX_FDS in chardev/char-socket.c).</summary>
    public const int DefaultMaxFdsPerMessage = 16;

    private readonly Socket _socket;
    private readonly bool _unix;
    private readonly int _maxFds;
    private readonly string _description;
    private int _closed;
    private byte[]? _discard;

    public SocketTransport(Socket socket, int maxFdsPerMessage = DefaultMaxFdsPerMessage)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _unix = socket.AddressFamily == AddressFamily.Unix;
        _maxFds = Math.Clamp(maxFdsPerMessage, 1, 253); // SCM_MAX_FD
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            // Replies are whole messages; do not let Nagle hold them back.
            _socket.NoDelay = true;
        }
        if (_unix)
        {
            MakeBlocking();
        }
        _description = _unix
            ? $"unix:{(socket.LocalEndPoint?.ToString() is { Length: > 0 } local ? local : socket.RemoteEndPoint?.ToString())}"
            : $"tcp:{socket.LocalEndPoint}<->{socket.RemoteEndPoint}";
    }

    public override bool SupportsFdPassing => _unix;

    public override string Description => _description;

    public override int MaxFdsPerMessage => _unix ? _maxFds : 0;

    /// <summary>Unix sockets receive on a thread of their own (poll + recvmsg); see <see cref="QmpTransport"/>.</summary>
    protected override bool UsesDedicatedReceiveThread => _unix;

    public Socket Socket => _socket;

    protected override async ValueTask<ReceiveResult> ReceiveAsync(Memory<byte> buffer, List<SafeFileHandle> fds, CancellationToken cancellationToken)
    {
        if (!_unix)
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

        while (true)
        {
            // Blocking peek on the dedicated receive thread, woken by data, EOF, or our own
            // shutdown() on close. Bytes that came with fds are read for real at once; the rest
            // stay in the socket until answered (DropPeeked), see the remarks on the class.
            int n = TryPeek(buffer.Span, out bool carriesFds);
            if (n > 0 && !carriesFds)
            {
                return new ReceiveResult(n, Peeked: true);
            }
            bool truncated = false;
            if (n > 0)
            {
                n = TryReceive(buffer.Span, fds, out truncated);
            }
            if (n >= 0)
            {
                return new ReceiveResult(n, truncated);
            }
            int errno = -n;
            if (errno == Libc.ECONNRESET)
            {
                return new ReceiveResult(0);
            }
            if (errno != Libc.EAGAIN && errno != Libc.EINTR)
            {
                throw new IOException($"recvmsg failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
            if (errno == Libc.EAGAIN)
            {
                // On the dedicated receive thread: block in poll() (woken by data, a hang-up, or
                // our own shutdown() on close). Completes synchronously, so no await happens.
                if (!WaitReadable())
                {
                    return new ReceiveResult(0);
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Clears O_NONBLOCK (set by .NET after an async connect or accept) so recvmsg can sleep.</summary>
    private void MakeBlocking()
    {
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            int fd = (int)_socket.SafeHandle.DangerousGetHandle();
            int flags = Libc.Fcntl(fd, Libc.F_GETFL, 0);
            if (flags >= 0 && (flags & Libc.O_NONBLOCK) != 0)
            {
                Libc.Fcntl(fd, Libc.F_SETFL, flags & ~Libc.O_NONBLOCK);
            }
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <summary>Blocks until the socket is readable (or hung up); false when it was closed meanwhile.</summary>
    private unsafe bool WaitReadable()
    {
        bool added = false;
        try
        {
            // The reference keeps the fd number valid (not reused) while we sleep on it.
            _socket.SafeHandle.DangerousAddRef(ref added);
            Libc.PollFd pollFd = new() { Fd = (int)_socket.SafeHandle.DangerousGetHandle(), Events = Libc.POLLIN };
            while (Volatile.Read(ref _closed) == 0)
            {
                int rc = Libc.Poll(&pollFd, 1, -1);
                if (rc > 0 || (rc < 0 && Marshal.GetLastPInvokeError() != Libc.EINTR))
                {
                    return true; // readable, hung up or failed: recvmsg tells which
                }
            }
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private int TryPeek(Span<byte> buffer, out bool carriesFds)
    {
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            return ScmRights.Peek((int)_socket.SafeHandle.DangerousGetHandle(), buffer, dontWait: false, out carriesFds);
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <summary>Consumes the bytes the last peek returned (they have been handed on by now).</summary>
    protected override void DropPeeked(int count)
    {
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            _discard ??= new byte[4096];
            int rc = ScmRights.Discard((int)_socket.SafeHandle.DangerousGetHandle(), count, _discard);
            if (rc < 0)
            {
                throw new IOException($"recv failed: {Marshal.GetPInvokeErrorMessage(-rc)}", -rc);
            }
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private int TryReceive(Span<byte> buffer, List<SafeFileHandle> fds, out bool truncated)
    {
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            return ScmRights.Receive((int)_socket.SafeHandle.DangerousGetHandle(), buffer, _maxFds, fds, out truncated, dontWait: false);
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Sends everything. With fds (unix only), the first chunk goes through sendmsg so the fds
    /// ride on its first byte; EAGAIN there (socket buffer full) is retried after a short,
    /// growing, cancellable delay, since .NET offers no "wait until writable" primitive; the
    /// rest of the data goes through the normal async send. A vanished peer surfaces as
    /// <see cref="IOException"/> (EPIPE/ECONNRESET) and never as SIGPIPE.
    /// </summary>
    public override async ValueTask SendAsync(ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle>? fds, CancellationToken cancellationToken)
    {
        try
        {
            if (_unix)
            {
                // Unix sockets stay in blocking mode for the receive thread, so .NET's async send
                // (which needs O_NONBLOCK) is not used: sendmsg(MSG_DONTWAIT) instead, fds on the
                // first chunk, EAGAIN retried after a short, growing, cancellable delay.
                IReadOnlyList<SafeHandle> attach = fds ?? Array.Empty<SafeHandle>();
                while (!data.IsEmpty)
                {
                    int sent = await SendWithFdsAsync(data, attach, cancellationToken).ConfigureAwait(false);
                    data = data[sent..];
                    attach = Array.Empty<SafeHandle>();
                }
                return;
            }
            if (fds is { Count: > 0 })
            {
                throw new NotSupportedException("File descriptors can only be passed over unix sockets.");
            }
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

    /// <summary>Unix sockets: one non-blocking send(); TCP: none (the async send path handles it).</summary>
    public override int TrySendNow(ReadOnlySpan<byte> data)
    {
        if (!_unix || data.IsEmpty || Volatile.Read(ref _closed) != 0)
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

    protected override void CloseCore()
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
