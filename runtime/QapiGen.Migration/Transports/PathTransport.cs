using System;
using System.IO;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Migration.Transports;

/// <summary>
/// <c>file:PATH[,offset=N]</c> by path: opens PATH without ever waiting and picks the transport
/// that fits what it is. A plain file (or a device) becomes a <see cref="FileTransport"/>; a FIFO
/// becomes a <see cref="FifoTransport"/>, a stream whose open may wait for the other end and so is
/// left to the job. Errors carry QEMU's texts (<see cref="MigrationFileOpen"/>).
/// </summary>
public static class PathTransport
{
    /// <summary>
    /// Opens <paramref name="path"/> for <paramref name="direction"/>: outgoing creates it (0600) or
    /// empties it, as QEMU's O_CREAT | O_TRUNC; incoming opens it read-only.
    /// </summary>
    /// <exception cref="IOException">PATH cannot be opened; the message is QEMU's.</exception>
    /// <exception cref="MigrationConfigurationException">A FIFO was given an offset.</exception>
    public static MigrationTransport Open(string path, MigrationDirection direction, long offset = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        // A FIFO opened for reading without waiting reads end-of-file until a writer comes, so an
        // incoming FIFO is left to the job's blocking open from the start.
        if (direction == MigrationDirection.Incoming && UnixFd.ClassifyPath(path) == FdKind.Pipe)
        {
            return Fifo(path, direction, offset, alreadyOpen: null);
        }

        // O_NONBLOCK only so that open() itself never waits (a FIFO without a reader fails at once
        // with ENXIO instead); it is cleared before any I/O.
        int fd = MigrationFileOpen.Open(path, MigrationFileOpen.Flags(direction) | Libc.O_NONBLOCK, out int errno);
        if (fd < 0)
        {
            if (errno == Libc.ENXIO && UnixFd.ClassifyPath(path) == FdKind.Pipe)
            {
                return Fifo(path, direction, offset, alreadyOpen: null);
            }

            throw MigrationFileOpen.Error(path, direction, errno);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            FdKind kind = UnixFd.Classify(handle);
            if (kind == FdKind.Directory)
            {
                // Outgoing, open() itself says EISDIR; incoming it succeeds and the first read would.
                const int EISDIR = 21;
                throw MigrationFileOpen.Error(path, direction, EISDIR);
            }

            MigrationFileOpen.MakeBlocking(handle);
            if (kind == FdKind.Pipe)
            {
                // A reader was already there: keep this end (closing it would end the reader's stream).
                return Fifo(path, direction, offset, handle);
            }

            if (direction == MigrationDirection.Outgoing && kind == FdKind.RegularFile && RandomAccess.GetLength(handle) > 0)
            {
                // O_TRUNC, only for a file with contents (see PrivateOutputFile).
                RandomAccess.SetLength(handle, 0);
            }

            return FileTransport.FromOpenedPath(handle, path, direction, offset);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static FifoTransport Fifo(string path, MigrationDirection direction, long offset, SafeFileHandle? alreadyOpen)
    {
        if (offset != 0)
        {
            alreadyOpen?.Dispose();
            throw new MigrationConfigurationException($"'{path}' is a FIFO, which cannot seek: 'offset' needs a plain file");
        }

        return new FifoTransport(path, direction, alreadyOpen);
    }
}
