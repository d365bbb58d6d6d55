using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// A transport over a pair of streams, e.g. stdin/stdout (no fd passing).
/// </summary>
/// <remarks>
/// Console and pipe streams on Unix implement their async methods by blocking a thread-pool
/// thread. With <c>dedicatedThreads</c> (the default for stdio) reads and writes run on two
/// threads of their own instead, so a silent peer never ties up the pool.
/// </remarks>
public sealed class StreamTransport : QmpTransport
{
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly string _description;
    private readonly bool _dedicatedThreads;
    private readonly Channel<(ReadOnlyMemory<byte> Data, TaskCompletionSource Done)>? _writes;
    private readonly Channel<byte[]>? _reads;
    private byte[]? _pendingRead;
    private int _pendingReadOffset;
    private int _closed;

    /// <summary>A transport reading <paramref name="input"/> and writing <paramref name="output"/>, named <paramref name="description"/>; with <paramref name="dedicatedThreads"/>, blocking streams are read and written on threads of their own.</summary>
    public StreamTransport(Stream input, Stream output, string description, bool dedicatedThreads)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _description = description;
        _dedicatedThreads = dedicatedThreads;
        if (dedicatedThreads)
        {
            _reads = Channel.CreateBounded<byte[]>(4);
            _writes = Channel.CreateUnbounded<(ReadOnlyMemory<byte>, TaskCompletionSource)>();
            new Thread(ReadThread) { IsBackground = true, Name = "qmp-stdio-read" }.Start();
            new Thread(WriteThread) { IsBackground = true, Name = "qmp-stdio-write" }.Start();
        }
    }

    /// <summary>stdin/stdout of this process.</summary>
    public static StreamTransport CreateStdio() =>
        new(Console.OpenStandardInput(), Console.OpenStandardOutput(), "stdio", dedicatedThreads: true);

    /// <inheritdoc/>
    public override string Description => _description;

    /// <inheritdoc/>
    private protected override async ValueTask<ReceiveResult> ReceiveAsync(Memory<byte> buffer, List<SafeFileHandle> fds, CancellationToken cancellationToken)
    {
        if (!_dedicatedThreads)
        {
            return new ReceiveResult(await _input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        if (_pendingRead is null)
        {
            if (!await _reads!.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_reads.Reader.TryRead(out _pendingRead))
            {
                return new ReceiveResult(0);
            }
            _pendingReadOffset = 0;
        }
        int n = Math.Min(buffer.Length, _pendingRead.Length - _pendingReadOffset);
        _pendingRead.AsSpan(_pendingReadOffset, n).CopyTo(buffer.Span);
        _pendingReadOffset += n;
        if (_pendingReadOffset == _pendingRead.Length)
        {
            _pendingRead = null;
        }
        return new ReceiveResult(n);
    }

    /// <inheritdoc/>
    public override async ValueTask SendAsync(ReadOnlyMemory<byte> data, IReadOnlyList<SafeHandle>? fds, CancellationToken cancellationToken)
    {
        if (fds is { Count: > 0 })
        {
            throw new NotSupportedException("File descriptors cannot be passed over stdio.");
        }
        if (Volatile.Read(ref _closed) != 0)
        {
            throw new IOException("The transport is closed.");
        }
        if (!_dedicatedThreads)
        {
            await _output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes!.Writer.TryWrite((data, done)))
        {
            throw new IOException("The transport is closed.");
        }
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ReadThread()
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = _input.Read(buffer);
                if (n <= 0)
                {
                    break;
                }
                if (!_reads!.Writer.WriteAsync(buffer.AsSpan(0, n).ToArray()).AsTask().Wait(Timeout.Infinite))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or AggregateException)
        {
        }
        _reads!.Writer.TryComplete();
    }

    private void WriteThread()
    {
        ChannelReader<(ReadOnlyMemory<byte> Data, TaskCompletionSource Done)> reader = _writes!.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out (ReadOnlyMemory<byte> Data, TaskCompletionSource Done) item))
            {
                try
                {
                    _output.Write(item.Data.Span);
                    _output.Flush();
                    item.Done.TrySetResult();
                }
                catch (Exception ex)
                {
                    item.Done.TrySetException(new IOException("write failed", ex));
                }
            }
        }
    }

    /// <inheritdoc/>
    private protected override void CloseCore()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        _writes?.Writer.TryComplete();
        _reads?.Writer.TryComplete();
        _input.Dispose();
        _output.Dispose();
    }
}
