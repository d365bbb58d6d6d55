using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace QapiGen.Host.Tests.Migration;

/// <summary>A connected pair of unix stream sockets, one end for each host (what a management layer hands over with getfd).</summary>
internal static class SocketPairs
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;

    public static (Socket A, Socket B) Create()
    {
        int[] fds = new int[2];
        if (SocketPair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
        return (new Socket(new SafeSocketHandle(fds[0], ownsHandle: true)), new Socket(new SafeSocketHandle(fds[1], ownsHandle: true)));
    }

    [DllImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static extern int SocketPair(int domain, int type, int protocol, int[] fds);
}
