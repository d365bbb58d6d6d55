using System;
using System.Net;
using System.Net.Sockets;

namespace QapiGen.Common;

/// <summary>
/// connect() and bind() of unix stream sockets made with the system calls themselves, so that a
/// failure keeps its errno: .NET maps ENOENT to "Cannot assign requested address" and ENOTDIR,
/// EROFS or ELOOP to "Unknown socket error", where QEMU prints strerror(). The address is the very
/// sockaddr .NET would pass (<see cref="UnixDomainSocketEndPoint"/>, abstract names included), and
/// the result is an ordinary blocking <see cref="Socket"/>.
/// </summary>
internal static unsafe class UnixSockets
{
    /// <summary>
    /// Connects without waiting. Returns 0 with the socket; EAGAIN when the listener's queue is
    /// full (connect again some other way, one that waits); otherwise the errno of the failure.
    /// </summary>
    public static int TryConnect(UnixDomainSocketEndPoint endpoint, out Socket? socket)
    {
        int errno = Run(endpoint, connect: true, out socket);
        return errno is Libc.EINTR or Libc.EINPROGRESS ? Libc.EAGAIN : errno;
    }

    /// <summary>
    /// Binds a new socket to <paramref name="endpoint"/> (not yet listening). Returns 0 with the
    /// socket, or the errno of the failure. Unlike a bind through .NET, disposing the socket leaves
    /// the socket file in place: the caller removes it.
    /// </summary>
    public static int TryBind(UnixDomainSocketEndPoint endpoint, out Socket? socket) => Run(endpoint, connect: false, out socket);

    /// <summary>
    /// Makes way for a bind to <paramref name="path"/> as QEMU's unix_listen_saddr() does with its
    /// unlink(), with one rule more: only a socket (a stale one from an earlier run) is removed,
    /// never a file of another kind, whose bind then fails with EADDRINUSE. Returns 0, or the errno
    /// that QEMU's unlink() would have met (the path cannot be reached: ENOTDIR, EACCES, ...).
    /// </summary>
    public static int RemoveStaleSocket(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int errno = UnixFd.TryClassifyPath(path, followSymlinks: false, out FdKind kind);
        if (errno == 0 && kind == FdKind.Socket && Libc.Unlink(path) != 0)
        {
            errno = Errno.Last;
        }
        return errno == Libc.ENOENT ? 0 : errno;
    }

    private static int Run(UnixDomainSocketEndPoint endpoint, bool connect, out Socket? socket)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        socket = null;
        SocketAddress address = endpoint.Serialize();
        // Non-blocking only for connect, which must never wait here (a full queue gives EAGAIN).
        int fd = Libc.Socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC | (connect ? Libc.SOCK_NONBLOCK : 0), 0);
        if (fd < 0)
        {
            return Errno.Last;
        }

        int result;
        fixed (byte* sockaddr = address.Buffer.Span)
        {
            result = connect ? Libc.Connect(fd, sockaddr, address.Size) : Libc.Bind(fd, sockaddr, address.Size);
        }

        int errno = result == 0 ? 0 : Errno.Last;
        if (errno == 0 && connect)
        {
            errno = UnixFd.TryClearNonBlocking(fd);
        }

        if (errno != 0)
        {
            Libc.Close(fd);
            return errno;
        }

        socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        return 0;
    }
}
