using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Schema.Parsing;

namespace QapiGen.Compat.Inputs;

/// <summary>
/// Files on disk, named as given (relative to the working directory, or absolute). Pipes and
/// <c>/dev/stdin</c> work because every file is read once, to its end.
/// </summary>
public sealed class DiskSource : SchemaSource
{
    private readonly string? _baseDirectory;
    private readonly bool _synchronous;

    /// <param name="baseDirectory">what relative names are relative to; null: the process's working directory</param>
    /// <param name="synchronous">read on the caller's thread, for synchronous callers (who must not wait on a task)</param>
    public DiskSource(string? baseDirectory = null, bool synchronous = false)
    {
        _baseDirectory = baseDirectory;
        _synchronous = synchronous;
    }

    public override string Key(string name) => Path.GetFullPath(Resolve(name));

    public override async Task<IReadOnlyList<FileRead>> ReadAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var tasks = new Task<FileRead>[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            tasks[i] = ReadOneAsync(names[i], cancellationToken);
        }

        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task<FileRead> ReadOneAsync(string name, CancellationToken cancellationToken)
    {
        string path = Resolve(name);
        try
        {
            if (Directory.Exists(path))
            {
                throw new IOException("Is a directory");
            }

            byte[] bytes = await ReadBoundedAsync(path, cancellationToken).ConfigureAwait(false);
            return new FileRead(name, Decode(bytes, 0, bytes.Length), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return new FileRead(name, null, e);
        }
    }

    /// <summary>
    /// The file's bytes, up to the front end's <see cref="SchemaFileSystem.MaxFileSize"/>: a pipe is
    /// read to its end, but a device that never ends (/dev/zero) is refused, not read into memory.
    /// </summary>
    private async Task<byte[]> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: !_synchronous);
        var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        while (true)
        {
            int want = (int)Math.Min(chunk.Length, SchemaFileSystem.MaxFileSize + 1L - buffer.Length);
            int n = _synchronous
                ? stream.Read(chunk, 0, want)
                : await stream.ReadAsync(chunk.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return buffer.ToArray();
            }

            buffer.Write(chunk, 0, n);
            if (buffer.Length > SchemaFileSystem.MaxFileSize)
            {
                throw new IOException($"file too large (more than {SchemaFileSystem.MaxFileSize / (1024 * 1024)} MiB)");
            }
        }
    }

    private string Resolve(string name)
        => _baseDirectory == null || Path.IsPathRooted(name) ? name : Path.Combine(_baseDirectory, name);
}
