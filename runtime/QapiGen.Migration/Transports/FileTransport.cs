using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Migration.Transports;

/// <summary>
/// <c>file:PATH[,offset=N]</c> and the channels API's <c>file</c> transport,
/// opened by path or from an fd the host already holds (an fdset duplicate or
/// a named fd resolved as a file). The stream starts at <see cref="Offset"/>.
/// </summary>
public sealed class FileTransport : MigrationTransport
{
    private readonly bool _ownsHandle;

    private FileTransport(SafeFileHandle handle, bool ownsHandle, long offset, MigrationDirection direction, string description)
    {
        Handle = handle;
        _ownsHandle = ownsHandle;
        Offset = offset;
        DirectionValue = direction;
        Description = description;
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override TransportKind Kind => TransportKind.File;

    /// <inheritdoc />
    public override MigrationDirection? Direction => DirectionValue;

    /// <summary>
    /// True: a file can take several channels, but only as mapped-ram's parallel
    /// pwrite/pread (the rule the migration validator enforces: multifd to a file needs mapped-ram).
    /// </summary>
    public override bool SupportsMultipleChannels => true;

    /// <summary>Where the migration data starts in the file.</summary>
    public long Offset { get; }

    internal SafeFileHandle Handle { get; }

    private MigrationDirection DirectionValue { get; }

    /// <summary>
    /// Opens <paramref name="path"/>: outgoing creates or empties it (mode 0600,
    /// write-only), as QEMU does; incoming opens it read-only. PATH must not be a FIFO
    /// (<see cref="PathTransport"/> takes either).
    /// </summary>
    /// <exception cref="IOException">PATH cannot be opened; the message is QEMU's.</exception>
    /// <exception cref="MigrationConfigurationException">PATH is a FIFO.</exception>
    public static FileTransport Open(string path, MigrationDirection direction, long offset = 0)
    {
        MigrationTransport transport = PathTransport.Open(path, direction, offset);
        if (transport is FileTransport file)
        {
            return file;
        }

        transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
        throw new MigrationConfigurationException($"'{path}' is a FIFO, not a file; use {nameof(PathTransport)}.{nameof(PathTransport.Open)}");
    }

    /// <summary>A path <see cref="PathTransport"/> opened: owned, described as <c>file:PATH</c>.</summary>
    internal static FileTransport FromOpenedPath(SafeFileHandle handle, string path, MigrationDirection direction, long offset)
    {
        string description = offset == 0 ? $"file:{path}" : $"file:{path},offset={offset}";
        return new FileTransport(handle, ownsHandle: true, offset, direction, description);
    }

    /// <summary>
    /// Uses an already-open fd. It must be a regular file whose access mode fits
    /// the direction: write-only or read-write outgoing, read-only or read-write incoming.
    /// </summary>
    /// <exception cref="MigrationConfigurationException">The fd is not a plain file or has the wrong mode.</exception>
    public static FileTransport FromHandle(SafeFileHandle handle, MigrationDirection direction, long offset = 0, string? description = null, bool ownsHandle = true)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        string name = description ?? $"fd {handle.DangerousGetHandle()}";
        FdKind kind = UnixFd.Classify(handle);
        if (kind != FdKind.RegularFile)
        {
            throw new MigrationConfigurationException(kind == FdKind.Socket
                ? $"The file migration transport needs a plain file, but {name} is a socket; pass it as a socket address of type 'fd' instead"
                : $"The file migration transport needs a plain file, but {name} is a {Describe(kind)}");
        }

        FdAccessMode mode = UnixFd.GetAccessMode(handle);
        if (direction == MigrationDirection.Outgoing && mode == FdAccessMode.ReadOnly)
        {
            throw new MigrationConfigurationException(
                $"{name} is open read-only; outgoing migration to a file needs an fd opened write-only or read-write");
        }

        if (direction == MigrationDirection.Incoming && mode == FdAccessMode.WriteOnly)
        {
            throw new MigrationConfigurationException(
                $"{name} is open write-only; incoming migration from a file needs an fd opened read-only or read-write");
        }

        string text = offset == 0 ? name : $"{name},offset={offset}";
        return new FileTransport(handle, ownsHandle, offset, direction, text);
    }

    internal override ValueTask<MigrationChannel> OpenChannelAsync(MigrationDirection direction, CancellationToken cancellationToken) =>
        ValueTask.FromResult<MigrationChannel>(new FileChannel(Handle, ownsHandle: false, Offset, Description));

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        if (_ownsHandle)
        {
            Handle.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    internal static string Describe(FdKind kind) => kind switch
    {
        FdKind.RegularFile => "plain file",
        FdKind.Socket => "socket",
        FdKind.Pipe => "pipe",
        FdKind.CharacterDevice => "character device",
        FdKind.BlockDevice => "block device",
        FdKind.Directory => "directory",
        _ => "special file",
    };
}
