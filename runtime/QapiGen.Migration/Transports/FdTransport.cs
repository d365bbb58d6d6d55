using System;
using System.IO;
using System.IO.Pipes;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Migration.Transports;

/// <summary>
/// QEMU's <c>migrate_resolve_fd()</c> rule: an fd is examined before the
/// transport is chosen, so that a plain file passed as <c>fd:NAME</c> is
/// migrated as a file (seekable, mapped-ram allowed) and a socket as a socket.
/// </summary>
public static class FdTransport
{
    /// <summary>
    /// Builds the transport that fits what <paramref name="fd"/> really is. Takes
    /// ownership of <paramref name="fd"/> (the host passes its own duplicate).
    /// </summary>
    /// <param name="fd">The fd, e.g. from <c>getfd</c> or an fdset duplicate.</param>
    /// <param name="direction">Outgoing or incoming.</param>
    /// <param name="use">How the client named it.</param>
    /// <param name="name">The client's name for messages (<c>fd 'migfd'</c>).</param>
    /// <param name="offset">For files: where the stream starts.</param>
    /// <exception cref="MigrationConfigurationException">The fd cannot carry a migration as named.</exception>
    public static MigrationTransport Resolve(SafeFileHandle fd, MigrationDirection direction, FdUse use, string? name = null, long offset = 0)
    {
        ArgumentNullException.ThrowIfNull(fd);
        string label = name ?? $"fd {fd.DangerousGetHandle()}";
        FdKind kind;
        try
        {
            kind = UnixFd.Classify(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }

        try
        {
            switch (kind)
            {
                case FdKind.RegularFile:
                    return FileTransport.FromHandle(fd, direction, offset, label);
                case FdKind.Socket when use == FdUse.File:
                    throw new MigrationConfigurationException(
                        $"The file migration transport needs a plain file, but {label} is a socket; pass it as a socket address of type 'fd' instead");
                case FdKind.Socket:
                    return SocketMigrationTransport.FromConnected(new Socket(new SafeSocketHandle(Release(fd), ownsHandle: true)), $"{label} (socket)");
                case FdKind.Pipe or FdKind.CharacterDevice when use == FdUse.File:
                    throw new MigrationConfigurationException(
                        $"The file migration transport needs a plain file, but {label} is a {FileTransport.Describe(kind)}");
                case FdKind.Pipe:
                    var pipe = new SafePipeHandle(Release(fd), ownsHandle: true);
                    Stream stream = direction == MigrationDirection.Outgoing
                        ? new AnonymousPipeClientStream(PipeDirection.Out, pipe)
                        : new AnonymousPipeClientStream(PipeDirection.In, pipe);
                    return new StreamMigrationTransport(stream, ownsStream: true, $"{label} (pipe)");
                case FdKind.CharacterDevice:
                    var device = new FileStream(fd, direction == MigrationDirection.Outgoing ? FileAccess.Write : FileAccess.Read, bufferSize: 0);
                    return new StreamMigrationTransport(device, ownsStream: true, $"{label} (character device)");
                default:
                    throw new MigrationConfigurationException(
                        $"{label} is a {FileTransport.Describe(kind)}; migration needs a socket, a pipe or a plain file");
            }
        }
        catch
        {
            if (!fd.IsInvalid && !fd.IsClosed)
            {
                fd.Dispose();
            }

            throw;
        }
    }

    // Moves the fd number out of a SafeFileHandle without closing it, so a
    // socket or pipe handle can own it instead.
    private static IntPtr Release(SafeFileHandle fd)
    {
        IntPtr raw = fd.DangerousGetHandle();
        fd.SetHandleAsInvalid();
        return raw;
    }
}
