using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// The receive side of a unix socket, for the thread that does nothing else: it sleeps in a
/// blocking peek, and leaves a request's bytes in the socket until they have been answered.
/// </summary>
/// <remarks>
/// <para>Why peek: when a server takes a request out of a unix socket, Linux frees that room in
/// the client's send buffer and wakes the client, which is asleep waiting for its reply, to look
/// for it. That is one wake-up of another CPU per request, and when the reply comes later than
/// the client takes to fall asleep again, a second one for the reply. Bytes that have been
/// answered can be taken out without that cost only when the client is awake, which is never
/// certain; so they are taken out in batches (<see cref="MaxHeldBytes"/>), and with SO_PEEK_OFF
/// the next peek starts after them. Without SO_PEEK_OFF each request's bytes are taken out once
/// they have been handed on.</para>
/// <para>Held bytes pin the client's send buffer, so a client that has filled it waits for us to
/// take them out while we wait for its next bytes. <see cref="MaxHeldBytes"/> keeps that from
/// happening with any buffer near Linux's default; for smaller ones the peek sleeps with a timeout
/// (<see cref="HeldBytesTimeout"/>) while bytes are held, and takes them out when it expires.</para>
/// <para>Bytes that came with fds are read for real at once, after the held ones: the peek,
/// which has no room for fds, reports their presence with MSG_CTRUNC without installing or
/// consuming them.</para>
/// </remarks>
internal sealed class UnixSocketReceiver
{
    /// <summary>
    /// Held bytes are taken out once there are this many. Each can pin at most one socket buffer
    /// of the client's (under 1 KiB of accounting for a short write), far less than the 208 KiB
    /// send buffer a unix socket has by default.
    /// </summary>
    private const int MaxHeldBytes = 128;

    /// <summary>How long the peek sleeps, while bytes are held, before it takes them out.</summary>
    private static readonly TimeSpan HeldBytesTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Whether this kernel moves the peek offset as documented, checked once on a socket pair.
    /// Were it to accept SO_PEEK_OFF and ignore it (a sandbox's partial emulation, say), every peek
    /// would return bytes already handed on, and requests would run twice.
    /// </summary>
    internal static bool PeekOffsetWorks => PeekOffsetProbe.Value;

    private static readonly Lazy<bool> PeekOffsetProbe = new(ProbePeekOffset);

    private readonly Socket _socket;
    private readonly int _maxFds;
    private readonly bool _peekOffset;
    private byte[]? _scratch;
    private int _held;
    private bool _timeoutArmed;

    public UnixSocketReceiver(Socket socket, int maxFds, bool holdAnsweredBytes = true)
    {
        _socket = socket;
        _maxFds = maxFds;
        MakeBlocking();
        // Peek from this offset, which the kernel moves forward with every peek and back with every
        // real read, so held bytes are not seen twice. Without it, bytes leave after each request.
        _peekOffset = holdAnsweredBytes && PeekOffsetWorks && TrySetPeekOffset(socket);
    }

    private static bool TrySetPeekOffset(Socket socket)
    {
        try
        {
            Span<byte> zero = stackalloc byte[sizeof(int)];
            zero.Clear();
            socket.SetRawSocketOption(Libc.SOL_SOCKET, Libc.SO_PEEK_OFF, zero);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Two one-byte writes, two one-byte peeks: with a working peek offset they see both bytes.</summary>
    private static unsafe bool ProbePeekOffset()
    {
        int* pair = stackalloc int[2];
        if (Libc.SocketPair(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0, pair) != 0)
        {
            return false;
        }
        try
        {
            int offset = 0;
            if (Libc.SetSockOpt(pair[1], Libc.SOL_SOCKET, Libc.SO_PEEK_OFF, &offset, sizeof(int)) != 0)
            {
                return false;
            }
            byte a = (byte)'a', b = (byte)'b', seen = 0;
            if (Libc.Send(pair[0], &a, 1, Libc.MSG_DONTWAIT) != 1 || Libc.Send(pair[0], &b, 1, Libc.MSG_DONTWAIT) != 1)
            {
                return false;
            }
            if (Libc.Recv(pair[1], &seen, 1, Libc.MSG_PEEK | Libc.MSG_DONTWAIT) != 1 || seen != a)
            {
                return false;
            }
            return Libc.Recv(pair[1], &seen, 1, Libc.MSG_PEEK | Libc.MSG_DONTWAIT) == 1 && seen == b;
        }
        finally
        {
            Libc.Close(pair[0]);
            Libc.Close(pair[1]);
        }
    }

    /// <summary>
    /// Blocks until bytes arrive and copies them into <paramref name="buffer"/>; fds that came with
    /// them go to <paramref name="fds"/>. Peeked bytes stay in the socket until <see cref="Release"/>.
    /// </summary>
    public QmpTransport.ReceiveResult Receive(Span<byte> buffer, List<SafeFileHandle> fds, CancellationToken cancellationToken)
    {
        bool added = false;
        try
        {
            // The reference keeps the fd number valid (not reused) while we sleep on it; Abort's
            // shutdown() is what wakes us.
            _socket.SafeHandle.DangerousAddRef(ref added);
            int fd = (int)_socket.SafeHandle.DangerousGetHandle();
            while (true)
            {
                int n = ScmRights.Peek(fd, buffer, dontWait: false, out bool carriesFds);
                if (n > 0 && !carriesFds)
                {
                    return new QmpTransport.ReceiveResult(n, Peeked: true);
                }
                bool truncated = false;
                bool fdsAtStart = false;
                int before = fds.Count;
                if (n > 0)
                {
                    // A real read starts at the socket's head, where the held bytes still are.
                    TakeOutHeld(fd);
                    n = ReceiveWithFds(fd, buffer[..n], fds, out truncated, out fdsAtStart);
                }
                if (n >= 0)
                {
                    // MSG_CTRUNC means two things: the control buffer, which has room for _maxFds,
                    // was full (the peer sent more), or the kernel stopped installing fds before
                    // that because the fd table is full (EMFILE), and closed the rest.
                    bool tableFull = truncated && fds.Count - before < _maxFds;
                    return new QmpTransport.ReceiveResult(n, FdsRejected: truncated && !tableFull, FdTableFull: tableFull, FdsAtStart: fdsAtStart);
                }
                int errno = -n;
                if (errno == Libc.ECONNRESET)
                {
                    return new QmpTransport.ReceiveResult(0);
                }
                if (errno == Libc.EINTR)
                {
                    continue;
                }
                if (errno != Libc.EAGAIN)
                {
                    throw new IOException($"recvmsg failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
                if (_timeoutArmed)
                {
                    // Quiet for a while with bytes held: the client may be waiting for their room.
                    TakeOutHeld(fd);
                    SetReceiveTimeout(TimeSpan.Zero);
                    _timeoutArmed = false;
                    continue;
                }
                // The socket is non-blocking after all: sleep in poll() instead.
                if (!WaitReadable(fd, cancellationToken))
                {
                    return new QmpTransport.ReceiveResult(0);
                }
                cancellationToken.ThrowIfCancellationRequested();
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

    /// <summary>
    /// Reads for real the <paramref name="peeked"/> bytes a peek saw, fds included, in two steps so
    /// as to tell whether the first byte came with fds (<paramref name="fdsAtStart"/>). A read ends
    /// right after the bytes of a sendmsg that carried fds, but may begin with bytes of earlier
    /// sendmsgs that carried none: those are other messages, which must not be offered the fds
    /// (see <see cref="ReceivedFdBatch"/>). A one-byte read gets fds only if its byte came with
    /// them (a one-byte peek would not do: it reports the fds of the following bytes too); the
    /// rest is then read up to where the peek stopped, which is where the fds' bytes end.
    /// </summary>
    private int ReceiveWithFds(int fd, Span<byte> peeked, List<SafeFileHandle> fds, out bool truncated, out bool fdsAtStart)
    {
        int before = fds.Count;
        int n = ScmRights.Receive(fd, peeked[..1], _maxFds, fds, out truncated, dontWait: false);
        fdsAtStart = n > 0 && (truncated || fds.Count > before);
        if (n <= 0 || peeked.Length == 1)
        {
            return n;
        }
        int rest = ScmRights.Receive(fd, peeked[1..], _maxFds, fds, out bool truncatedRest, dontWait: true);
        truncated |= truncatedRest;
        // Those bytes were peeked, so they are there; an error would come back on the next read.
        return rest > 0 ? n + rest : n;
    }

    /// <summary>
    /// The <paramref name="count"/> bytes the last <see cref="Receive"/> peeked have been handed
    /// on: they leave the socket now or with later ones (see the remarks on the class).
    /// </summary>
    public void Release(int count)
    {
        _held += count;
        if (_peekOffset && _held < MaxHeldBytes)
        {
            if (!_timeoutArmed)
            {
                SetReceiveTimeout(HeldBytesTimeout);
                _timeoutArmed = true;
            }
            return;
        }
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            TakeOutHeld((int)_socket.SafeHandle.DangerousGetHandle());
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
    /// Empties the socket just before it is closed: Linux resets a unix connection closed with
    /// bytes unread, and the client would then see ECONNRESET instead of the end of the stream
    /// after its last reply. May run on any thread; fds still queued are closed by the kernel.
    /// </summary>
    public unsafe void DrainBeforeClose()
    {
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            int fd = (int)_socket.SafeHandle.DangerousGetHandle();
            byte* scratch = stackalloc byte[1024];
            while (Libc.Recv(fd, scratch, 1024, Libc.MSG_DONTWAIT) > 0)
            {
            }
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private void TakeOutHeld(int fd)
    {
        if (_held == 0)
        {
            return;
        }
        _scratch ??= new byte[4096];
        int rc = ScmRights.Discard(fd, _held, _scratch);
        _held = 0;
        if (rc < 0)
        {
            throw new IOException($"recv failed: {Marshal.GetPInvokeErrorMessage(-rc)}", -rc);
        }
    }

    /// <summary>SO_RCVTIMEO; zero means sleep until bytes come.</summary>
    private void SetReceiveTimeout(TimeSpan timeout)
    {
        Span<byte> timeval = stackalloc byte[16]; // struct timeval on 64-bit Linux
        long microseconds = (long)(timeout.TotalMicroseconds);
        BinaryPrimitives.WriteInt64LittleEndian(timeval, microseconds / 1_000_000);
        BinaryPrimitives.WriteInt64LittleEndian(timeval[8..], microseconds % 1_000_000);
        _socket.SetRawSocketOption(Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeval);
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

    private const short POLLHUP = 0x10;

    /// <summary>
    /// True when the peer has closed its end entirely. At end of input that tells a client that
    /// left from one that only shut down its sending side and still waits for replies: Linux
    /// reports POLLHUP on a unix socket only when both directions are shut down.
    /// </summary>
    public unsafe bool PeerHungUp()
    {
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            Libc.PollFd pollFd = new() { Fd = (int)_socket.SafeHandle.DangerousGetHandle(), Events = 0 };
            return Libc.Poll(&pollFd, 1, 0) > 0 && (pollFd.Revents & POLLHUP) != 0;
        }
        catch (ObjectDisposedException)
        {
            return true;
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
    private static unsafe bool WaitReadable(int fd, CancellationToken closed)
    {
        Libc.PollFd pollFd = new() { Fd = fd, Events = Libc.POLLIN };
        while (!closed.IsCancellationRequested)
        {
            int rc = Libc.Poll(&pollFd, 1, -1);
            if (rc > 0 || (rc < 0 && Marshal.GetLastPInvokeError() != Libc.EINTR))
            {
                return true; // readable, hung up or failed: recvmsg tells which
            }
        }
        return false;
    }
}
