using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Migration.Transports;

/// <summary>
/// A channel over a <see cref="Stream"/>: a pipe, a child process's stdin or
/// stdout, or any stream the host hands over. Pipe streams on Linux do real
/// async I/O, so no thread waits on them.
/// </summary>
internal class StreamChannel : MigrationChannel
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private int _closed;

    public StreamChannel(Stream stream, bool ownsStream, string description)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        Description = description;
    }

    public override string Description { get; }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"Unable to write to {Description}: {e.Message}", e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"Unable to read from {Description}: {e.Message}", e);
        }
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_ownsStream)
        {
            // Closing is what tells a pipe reader (e.g. `cat > FILE`) that the stream is over.
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0 && _ownsStream)
        {
            _stream.Dispose();
        }
    }

    public override ValueTask DisposeAsync()
    {
        Abort();
        return ValueTask.CompletedTask;
    }
}
