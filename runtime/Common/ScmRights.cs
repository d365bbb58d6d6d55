using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Common;

/// <summary>sendmsg/recvmsg carrying SCM_RIGHTS control messages, and the unix transport's peek and discard.</summary>
// The control buffer (room for the most fds a message may carry) is stack memory the kernel
// fills and reports the length of: it needs no zeroing, once per receive.
[System.Runtime.CompilerServices.SkipLocalsInit]
internal static unsafe class ScmRights
{
    /// <summary>
    /// recvmsg(MSG_DONTWAIT | MSG_CMSG_CLOEXEC) into <paramref name="buffer"/>. Returns the byte
    /// count (0 = orderly shutdown) or -errno. Received fds are appended to
    /// <paramref name="fds"/> already owned by SafeFileHandles (CLOEXEC, so a child the host
    /// spawns never inherits them). <paramref name="truncated"/> reports MSG_CTRUNC: the sender
    /// passed more fds than <paramref name="maxFds"/>; the kernel closed the excess.
    /// </summary>
    public static int Receive(int socket, Span<byte> buffer, int maxFds, List<SafeFileHandle> fds, out bool truncated) =>
        Receive(socket, buffer, maxFds, fds, out truncated, dontWait: true);

    /// <summary>As above; with <paramref name="dontWait"/> false a socket in blocking mode sleeps until data, EOF or shutdown().</summary>
    public static int Receive(int socket, Span<byte> buffer, int maxFds, List<SafeFileHandle> fds, out bool truncated, bool dontWait)
    {
        truncated = false;
        nuint controlLength = Libc.CMsgSpace((nuint)(maxFds * sizeof(int)));
        byte* control = stackalloc byte[(int)controlLength];
        fixed (byte* data = buffer)
        {
            Libc.IoVec iov = new() { Base = data, Length = (nuint)buffer.Length };
            Libc.MsgHdr msg = new()
            {
                Iov = &iov,
                IovLength = 1,
                Control = control,
                ControlLength = controlLength,
            };
            nint n = Libc.RecvMsg(socket, &msg, (dontWait ? Libc.MSG_DONTWAIT : 0) | Libc.MSG_CMSG_CLOEXEC);
            if (n < 0)
            {
                return -Marshal.GetLastPInvokeError();
            }
            CollectFds(&msg, fds);
            truncated = (msg.Flags & Libc.MSG_CTRUNC) != 0;
            return (int)n;
        }
    }

    /// <summary>
    /// recvmsg(MSG_PEEK) without a control buffer: copies the next bytes into
    /// <paramref name="buffer"/> but leaves them in the socket. Returns the byte count (0 = orderly
    /// shutdown) or -errno. <paramref name="carriesFds"/> is the kernel's MSG_CTRUNC: some of those
    /// bytes came with fds, which a peek without room for them neither installs nor consumes, so
    /// the caller must read them for real (<see cref="Receive(int, Span{byte}, int, List{SafeFileHandle}, out bool, bool)"/>).
    /// </summary>
    public static int Peek(int socket, Span<byte> buffer, bool dontWait, out bool carriesFds)
    {
        carriesFds = false;
        fixed (byte* data = buffer)
        {
            Libc.IoVec iov = new() { Base = data, Length = (nuint)buffer.Length };
            Libc.MsgHdr msg = new() { Iov = &iov, IovLength = 1 };
            nint n = Libc.RecvMsg(socket, &msg, Libc.MSG_PEEK | (dontWait ? Libc.MSG_DONTWAIT : 0));
            if (n < 0)
            {
                return -Marshal.GetLastPInvokeError();
            }
            carriesFds = (msg.Flags & Libc.MSG_CTRUNC) != 0;
            return (int)n;
        }
    }

    /// <summary>
    /// Consumes exactly <paramref name="count"/> bytes already seen by <see cref="Peek"/>, copying
    /// them through <paramref name="scratch"/>. Returns 0, or -errno.
    /// </summary>
    public static int Discard(int socket, int count, Span<byte> scratch)
    {
        fixed (byte* data = scratch)
        {
            while (count > 0)
            {
                nint n = Libc.Recv(socket, data, (nuint)Math.Min(count, scratch.Length), Libc.MSG_DONTWAIT);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                    {
                        continue;
                    }
                    return -errno;
                }
                if (n == 0)
                {
                    return -Libc.ECONNRESET; // the peeked bytes are gone: cannot happen on a stream socket
                }
                count -= (int)n;
            }
            return 0;
        }
    }

    private static void CollectFds(Libc.MsgHdr* msg, List<SafeFileHandle> fds)
    {
        byte* control = (byte*)msg->Control;
        nuint controlLength = msg->ControlLength;
        nuint offset = 0;
        while (offset + (nuint)sizeof(Libc.CMsgHdr) <= controlLength)
        {
            Libc.CMsgHdr* header = (Libc.CMsgHdr*)(control + offset);
            if (header->Length < (nuint)sizeof(Libc.CMsgHdr) || offset + header->Length > controlLength)
            {
                break;
            }
            if (header->Level == Libc.SOL_SOCKET && header->Type == Libc.SCM_RIGHTS)
            {
                int count = (int)((header->Length - Libc.CMsgLen(0)) / sizeof(int));
                int* raw = (int*)Libc.CMsgData(header);
                for (int i = 0; i < count; i++)
                {
                    fds.Add(new SafeFileHandle(raw[i], ownsHandle: true));
                }
            }
            offset += Libc.CMsgAlign(header->Length);
        }
    }

    /// <summary>
    /// sendmsg(MSG_DONTWAIT | MSG_NOSIGNAL) of <paramref name="data"/> with the given raw fds
    /// attached (the kernel attaches them to the first byte sent). Returns bytes sent or -errno.
    /// MSG_NOSIGNAL matters: a peer that went away must give EPIPE, not kill the process.
    /// </summary>
    public static int Send(int socket, ReadOnlySpan<byte> data, ReadOnlySpan<int> fds)
    {
        if (fds.IsEmpty)
        {
            // Plain send(): without control data it is the cheaper system call.
            fixed (byte* plain = data)
            {
                nint sent = Libc.Send(socket, plain, (nuint)data.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
                return sent < 0 ? -Marshal.GetLastPInvokeError() : (int)sent;
            }
        }
        nuint controlLength = fds.IsEmpty ? 0 : Libc.CMsgSpace((nuint)(fds.Length * sizeof(int)));
        byte* control = stackalloc byte[(int)Math.Max(controlLength, 1)];
        if (controlLength > 0)
        {
            new Span<byte>(control, (int)controlLength).Clear();
            Libc.CMsgHdr* header = (Libc.CMsgHdr*)control;
            header->Level = Libc.SOL_SOCKET;
            header->Type = Libc.SCM_RIGHTS;
            header->Length = Libc.CMsgLen((nuint)(fds.Length * sizeof(int)));
            fds.CopyTo(new Span<int>(Libc.CMsgData(header), fds.Length));
        }
        fixed (byte* bytes = data)
        {
            Libc.IoVec iov = new() { Base = bytes, Length = (nuint)data.Length };
            Libc.MsgHdr msg = new()
            {
                Iov = &iov,
                IovLength = 1,
                Control = controlLength > 0 ? control : null,
                ControlLength = controlLength,
            };
            nint n = Libc.SendMsg(socket, &msg, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
            return n < 0 ? -Marshal.GetLastPInvokeError() : (int)n;
        }
    }
}
