using System;
using System.Runtime.InteropServices;

namespace QapiGen.Host.Bench;

/// <summary>sendmsg with one SCM_RIGHTS fd, blocking: the benchmark client's add-fd path.</summary>
internal static unsafe partial class Native
{
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMsg(int socket, MsgHdr* message, int flags);

    /// <summary>Sends <paramref name="data"/> with <paramref name="fd"/> attached; returns bytes sent.</summary>
    public static int SendWithFd(int socket, ReadOnlySpan<byte> data, int fd)
    {
        // struct cmsghdr { size_t len; int level; int type; } + one int, padded to 8: 24 bytes.
        byte* control = stackalloc byte[24];
        new Span<byte>(control, 24).Clear();
        *(nuint*)control = 16 + sizeof(int); // CMSG_LEN(sizeof(int))
        *(int*)(control + 8) = 1; // SOL_SOCKET
        *(int*)(control + 12) = 1; // SCM_RIGHTS
        *(int*)(control + 16) = fd;
        fixed (byte* bytes = data)
        {
            IoVec iov = new() { Base = bytes, Length = (nuint)data.Length };
            MsgHdr msg = new() { Iov = &iov, IovLength = 1, Control = control, ControlLength = 24 };
            nint n = SendMsg(socket, &msg, 0x4000 /* MSG_NOSIGNAL */);
            if (n < 0)
            {
                throw new InvalidOperationException($"sendmsg failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
            return (int)n;
        }
    }
}
