using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Client;

/// <summary>
/// Files in the guest as streams, over <c>guest-file-*</c>: the agent moves file contents as
/// base64 in JSON, a chunk per call, which these helpers hide. On any client generated from a
/// guest-agent schema too (it derives from <see cref="QgaClient"/>).
/// </summary>
public static class QgaFileTransfer
{
    /// <summary>
    /// Opens <paramref name="path"/> in the guest with an <c>fopen</c> mode (<c>"r"</c>, <c>"w"</c>,
    /// <c>"a"</c>, <c>"r+"</c>…). Dispose the stream (<c>await using</c>) to close the handle.
    /// </summary>
    public static async Task<QgaFileStream> OpenFileAsync(this QgaClient client, string path, string mode = "r",
        int chunkSize = QgaFileStream.DefaultChunkSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(mode);
        if (chunkSize < 1 || chunkSize > QgaFileStream.MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), $"must be between 1 and {QgaFileStream.MaxChunkSize}");
        }

        long handle = await client.ExecuteAsync("guest-file-open", (path, mode), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("path"u8, s.path);
            w.WriteString("mode"u8, s.mode);
            w.WriteEndObject();
        }, static value => value.GetInt64(), cancellationToken).ConfigureAwait(false);
        bool plus = mode.Contains('+');
        return new QgaFileStream(client, handle, canRead: mode[0] == 'r' || plus, canWrite: mode[0] != 'r' || plus, chunkSize);
    }

    /// <summary>Copies <paramref name="source"/> to a new (or truncated) file in the guest; returns the bytes written.</summary>
    public static async Task<long> CopyToGuestAsync(this QgaClient client, Stream source, string path,
        int chunkSize = QgaFileStream.DefaultChunkSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        QgaFileStream file = await client.OpenFileAsync(path, "w", chunkSize, cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
            try
            {
                long total = 0;
                while (true)
                {
                    // Fill a whole chunk first, so each call to the agent carries as much as it can.
                    int filled = 0;
                    while (filled < chunkSize)
                    {
                        int n = await source.ReadAsync(buffer.AsMemory(filled, chunkSize - filled), cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            break;
                        }

                        filled += n;
                    }
                    if (filled == 0)
                    {
                        break;
                    }

                    await file.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                    total += filled;
                    if (filled < chunkSize)
                    {
                        break;
                    }
                }
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                return total;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Copies a file in the guest to <paramref name="destination"/>; returns the bytes read.</summary>
    public static async Task<long> CopyFromGuestAsync(this QgaClient client, string path, Stream destination,
        int chunkSize = QgaFileStream.DefaultChunkSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        QgaFileStream file = await client.OpenFileAsync(path, "r", chunkSize, cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
            try
            {
                long total = 0;
                int n;
                while ((n = await file.ReadAsync(buffer.AsMemory(0, chunkSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    total += n;
                }
                return total;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
