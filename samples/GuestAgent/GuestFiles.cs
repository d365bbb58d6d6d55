using System;
using System.Collections.Concurrent;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Samples.GuestAgent.Qga;

namespace QapiGen.Samples.GuestAgent;

/// <summary>
/// The open files behind <c>guest-file-*</c>: handles, fopen()-style modes, chunks in base64,
/// with qemu-ga's error texts so that clients written against it read the same failures.
/// </summary>
internal sealed class GuestFiles : IAsyncDisposable
{
    /// <summary>Bytes <c>guest-file-read</c> reads when the request gives no count.</summary>
    public const long DefaultReadCount = 4096;

    /// <summary>The most one <c>guest-file-read</c> may ask for (the reply is base64 of it, in one message).</summary>
    public const long MaxReadCount = 48 * 1024 * 1024;

    private readonly ConcurrentDictionary<long, OpenFile> _open = new();
    // Handles start where a fresh qemu-ga's do and are never reused while the agent runs.
    private long _lastHandle = 999;

    private sealed record OpenFile(FileStream Stream, bool Append);

    public long Open(string path, string mode)
    {
        (FileMode fileMode, FileAccess access, bool append) = ParseMode(mode)
            ?? throw new QmpException(QmpError.Generic($"invalid file open mode '{mode}'"));
        FileStream stream;
        try
        {
            stream = new FileStream(path, fileMode, access, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new QmpException(QmpError.Generic($"failed to open file '{path}' (mode: '{mode}'): {Reason(ex)}"));
        }
        long handle = Interlocked.Increment(ref _lastHandle);
        _open[handle] = new OpenFile(stream, append);
        return handle;
    }

    public async ValueTask CloseAsync(long handle)
    {
        if (!_open.TryRemove(handle, out OpenFile? file))
        {
            throw NotFound(handle);
        }
        await file.Stream.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask<GuestFileRead> ReadAsync(long handle, long count, CancellationToken cancellationToken)
    {
        OpenFile file = Get(handle);
        if (count < 0 || count > MaxReadCount)
        {
            throw InvalidCount(count);
        }
        byte[] buffer = new byte[count];
        int read = 0;
        try
        {
            // As fread(): keep reading until the count is met or the file ends.
            while (read < buffer.Length)
            {
                int n = await file.Stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new QmpException(QmpError.Generic($"failed to read file: {Reason(ex)}"));
        }
        return new GuestFileRead { Count = read, BufB64 = Convert.ToBase64String(buffer, 0, read), Eof = read < count };
    }

    public async ValueTask<GuestFileWrite> WriteAsync(long handle, string base64, long? count, CancellationToken cancellationToken)
    {
        OpenFile file = Get(handle);
        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new QmpException(QmpError.Generic("Base64 data contains invalid characters"));
        }
        long length = count ?? data.Length;
        if (length < 0 || length > data.Length)
        {
            throw InvalidCount(length);
        }
        try
        {
            if (file.Append)
            {
                file.Stream.Seek(0, SeekOrigin.End); // O_APPEND: every write goes to the end
            }
            await file.Stream.WriteAsync(data.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new QmpException(QmpError.Generic($"failed to write to file: {Reason(ex)}"));
        }
        return new GuestFileWrite { Count = length, Eof = false };
    }

    public GuestFileSeek Seek(long handle, long offset, GuestFileWhence whence)
    {
        OpenFile file = Get(handle);
        SeekOrigin origin = whence switch
        {
            GuestFileWhence.NameBranch { Value: QGASeek.Set } or GuestFileWhence.ValueBranch { Value: 0 } => SeekOrigin.Begin,
            GuestFileWhence.NameBranch { Value: QGASeek.Cur } or GuestFileWhence.ValueBranch { Value: 1 } => SeekOrigin.Current,
            GuestFileWhence.NameBranch { Value: QGASeek.End } or GuestFileWhence.ValueBranch { Value: 2 } => SeekOrigin.End,
            GuestFileWhence.ValueBranch v => throw new QmpException(QmpError.Generic($"invalid whence code {v.Value}")),
            _ => throw new QmpException(QmpError.Generic("invalid whence")),
        };
        try
        {
            return new GuestFileSeek { Position = file.Stream.Seek(offset, origin), Eof = false };
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ArgumentException)
        {
            throw new QmpException(QmpError.Generic("failed to seek file: Invalid argument"));
        }
    }

    public async ValueTask FlushAsync(long handle, CancellationToken cancellationToken)
    {
        OpenFile file = Get(handle);
        try
        {
            await file.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new QmpException(QmpError.Generic($"failed to flush file: {Reason(ex)}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (long handle in _open.Keys)
        {
            if (_open.TryRemove(handle, out OpenFile? file))
            {
                await file.Stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private OpenFile Get(long handle) => _open.TryGetValue(handle, out OpenFile? file) ? file : throw NotFound(handle);

    private static QmpException NotFound(long handle) => new(QmpError.Generic($"handle '{handle}' has not been found"));

    private static QmpException InvalidCount(long count) => new(QmpError.Generic($"value '{count}' is invalid for argument count"));

    /// <summary>fopen()'s modes: r, w, a, each optionally with + and b (in either order).</summary>
    private static (FileMode, FileAccess, bool Append)? ParseMode(string mode)
    {
        string m = mode.Length > 1 ? mode[0] + mode[1..].Replace("b", "", StringComparison.Ordinal) : mode;
        if (m.Length > 2 || mode.Length > 3 || (m.Length == 2 && m[1] != '+'))
        {
            return null;
        }
        bool plus = m.Length == 2;
        return m[0] switch
        {
            'r' => (FileMode.Open, plus ? FileAccess.ReadWrite : FileAccess.Read, false),
            'w' => (FileMode.Create, plus ? FileAccess.ReadWrite : FileAccess.Write, false),
            'a' => (FileMode.OpenOrCreate, plus ? FileAccess.ReadWrite : FileAccess.Write, true),
            _ => null,
        };
    }

    /// <summary>strerror()'s text for the usual failures, as qemu-ga puts it after its own words.</summary>
    private static string Reason(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => Marshal.GetPInvokeErrorMessage(2),   // ENOENT
        UnauthorizedAccessException => Marshal.GetPInvokeErrorMessage(13),                          // EACCES
        _ => ex.Message,
    };
}
