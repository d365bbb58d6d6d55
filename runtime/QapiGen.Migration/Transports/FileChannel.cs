using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Migration.Transports;

/// <summary>
/// A regular file read or written sequentially from an offset with
/// <c>pread</c>/<c>pwrite</c>. The calls are synchronous on purpose: the job
/// runs file migrations on a dedicated thread, since Linux has no async
/// buffered file I/O and the thread pool must not be blocked by a 1 GiB copy.
/// </summary>
internal sealed class FileChannel : MigrationChannel
{
    private readonly SafeFileHandle _handle;
    private readonly bool _ownsHandle;
    private long _position;
    private int _closed;

    public FileChannel(SafeFileHandle handle, bool ownsHandle, long offset, string description)
    {
        _handle = handle;
        _ownsHandle = ownsHandle;
        _position = offset;
        Description = description;
    }

    public override string Description { get; }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfAborted();
        try
        {
            RandomAccess.Write(_handle, data.Span, _position);
        }
        catch (IOException e)
        {
            throw new IOException($"Unable to write to {Description}: {e.Message}", e);
        }

        _position += data.Length;
        return ValueTask.CompletedTask;
    }

    public override ValueTask WriteGatherAsync(IReadOnlyList<ReadOnlyMemory<byte>> pieces, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfAborted();
        long length = 0;
        foreach (ReadOnlyMemory<byte> piece in pieces)
        {
            length += piece.Length;
        }

        try
        {
            RandomAccess.Write(_handle, pieces, _position);
        }
        catch (IOException e)
        {
            throw new IOException($"Unable to write to {Description}: {e.Message}", e);
        }

        _position += length;
        return ValueTask.CompletedTask;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfAborted();
        int read;
        try
        {
            read = RandomAccess.Read(_handle, buffer.Span, _position);
        }
        catch (IOException e)
        {
            throw new IOException($"Unable to read from {Description}: {e.Message}", e);
        }

        _position += read;
        return ValueTask.FromResult(read);
    }

    public override void Abort() => Interlocked.Exchange(ref _closed, 1);

    public override ValueTask DisposeAsync()
    {
        Abort();
        if (_ownsHandle)
        {
            _handle.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void ThrowIfAborted()
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            throw new OperationCanceledException("The migration file channel was closed");
        }
    }
}
