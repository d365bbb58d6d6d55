using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Compat.Inputs;

/// <summary>
/// The files of a tar archive (plain or gzip-compressed), e.g. a release's source tarball. Files are
/// named <c>ARCHIVE:path</c>, path as stored in the archive without a leading <c>./</c>.
/// </summary>
public sealed class TarSource : SchemaSource
{
    private readonly Dictionary<string, byte[]> _files;
    private readonly HashSet<string> _directories;

    private TarSource(string archive, Dictionary<string, byte[]> files, HashSet<string> directories)
    {
        Archive = archive;
        _files = files;
        _directories = directories;
    }

    /// <summary>The archive as the user named it; the prefix of every file name.</summary>
    public string Archive { get; }

    public static async Task<TarSource> OpenAsync(string archive, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            byte[] magic = new byte[2];
            int n = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            Stream stream = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
            await using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                string path = VirtualPaths.Normalize(entry.Name);
                if (entry.EntryType == TarEntryType.Directory)
                {
                    directories.Add(path);
                }
                else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream != null)
                {
                    using var data = new MemoryStream();
                    await entry.DataStream.CopyToAsync(data, cancellationToken).ConfigureAwait(false);
                    files[path] = data.ToArray();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            throw new CompatInputException($"{archive}: cannot read as a tar archive: {e.Message}");
        }
        if (files.Count == 0)
        {
            throw new CompatInputException($"{archive}: not a tar archive, or one without files");
        }

        return new TarSource(archive, files, directories);
    }

    public string NameOf(string path) => VirtualPaths.Name(Archive, path);

    public override string Key(string name) => "/" + VirtualPaths.PathOf(Archive, name);

    public override Task<IReadOnlyList<FileRead>> ReadAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var results = new List<FileRead>(names.Count);
        foreach (string name in names)
        {
            string path = VirtualPaths.PathOf(Archive, name);
            if (_files.TryGetValue(path, out byte[]? bytes))
            {
                try
                {
                    results.Add(new FileRead(name, Decode(bytes, 0, bytes.Length), null));
                }
                catch (IOException e)
                {
                    results.Add(new FileRead(name, null, e));
                }
            }
            else
            {
                results.Add(new FileRead(name, null, _directories.Contains(path)
                    ? new IOException("Is a directory")
                    : new FileNotFoundException($"not in {Archive}", name)));
            }
        }
        return Task.FromResult<IReadOnlyList<FileRead>>(results);
    }
}
