using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace QapiGen.Migration.Native;

/// <summary>
/// connect() and bind() of unix stream sockets made with the system calls themselves, so that a
/// failure keeps its errno: .NET maps ENOENT to "Cannot assign requested address" and ENOTDIR,
/// EROFS or ELOOP to "Unknown socket error", where QEMU prints strerror(). The address is the very
/// sockaddr .NET would pass (<see cref="UnixDomainSocketEndPoint"/>, abstract names included), and
/// the result is an ordinary blocking <see cref="Socket"/>.
/// </summary>
public static unsafe class UnixSockets
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_NONBLOCK = 0x800;
    private const int SOCK_CLOEXEC = 0x80000;

    /// <summary>
    /// Connects without waiting. Returns 0 with the socket; EAGAIN when the listener's queue is
    /// full (connect again some other way, one that waits); otherwise the errno of the failure.
    /// </summary>
    public static int TryConnect(UnixDomainSocketEndPoint endpoint, out Socket? socket)
    {
        int errno = Run(endpoint, connect: true, out socket);
        return errno is LibC.EINTR or LibC.EINPROGRESS ? LibC.EAGAIN : errno;
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
        StatxBuffer buffer = default;
        if (LibC.statx(LibC.AT_FDCWD, path, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_TYPE, &buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == LibC.ENOENT ? 0 : errno;
        }

        const ushort S_IFMT = 0xF000, S_IFSOCK = 0xC000;
        if ((buffer.Mode & S_IFMT) == S_IFSOCK && LibC.unlink(path) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == LibC.ENOENT ? 0 : errno;
        }

        return 0;
    }

    /// <summary>strerror(<paramref name="errno"/>).</summary>
    public static string ErrorText(int errno) => LibC.ErrorText(errno);

    private static int Run(UnixDomainSocketEndPoint endpoint, bool connect, out Socket? socket)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        socket = null;
        SocketAddress address = endpoint.Serialize();
        // Non-blocking only for connect, which must never wait here (a full queue gives EAGAIN).
        int fd = LibC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (connect ? SOCK_NONBLOCK : 0), 0);
        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        int result;
        fixed (byte* sockaddr = address.Buffer.Span)
        {
            result = connect ? LibC.connect(fd, sockaddr, address.Size) : LibC.bind(fd, sockaddr, address.Size);
        }

        int errno = result == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (errno == 0 && connect)
        {
            int flags = LibC.fcntl(fd, LibC.F_GETFL);
            if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags & ~LibC.O_NONBLOCK) < 0)
            {
                errno = Marshal.GetLastPInvokeError();
            }
        }

        if (errno != 0)
        {
            LibC.close(fd);
            return errno;
        }

        socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        return 0;
    }
}
