using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// Where schema text comes from. The CLI reads the disk; the source generator hands in the
/// texts MSBuild gave it (AdditionalFiles), so the front end never touches files behind its back.
/// </summary>
public interface ISchemaFileSystem
{
    /// <summary>The text of <paramref name="path"/> (as written in the schema, relative to the working directory).</summary>
    /// <exception cref="IOException">the file cannot be read.</exception>
    string ReadAllText(string path);

    /// <summary>A key that identifies the file, used to read each file once and detect include cycles.</summary>
    string GetFullPath(string path);
}

public static class SchemaFileSystem
{
    /// <summary>
    /// The largest schema file read, in bytes (16 MiB; QEMU's whole schema, all its files together,
    /// is under 1 MiB). Texts handed in by other file systems are held to the same number of characters.
    /// </summary>
    public const int MaxFileSize = 16 * 1024 * 1024;

    public static ISchemaFileSystem Disk { get; } = new DiskFileSystem();

    /// <summary>The strerror-style reason the reference prints after "can't read include file".</summary>
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message,
    };

    /// <summary>
    /// The text of a schema file through <paramref name="fs"/>, refused (as an <see cref="IOException"/>
    /// whose message is the reason) when it is larger than <see cref="MaxFileSize"/>. Every file the
    /// parser reads goes through here, whatever the file system.
    /// </summary>
    public static string ReadSchemaText(ISchemaFileSystem fs, string path)
    {
        string text = fs.ReadAllText(path);
        if (text.Length > MaxFileSize)
        {
            throw new IOException(TooLarge);
        }

        return text;
    }

    private static readonly string TooLarge = $"file too large (more than {MaxFileSize / (1024 * 1024)} MiB)";

    /// <summary>
    /// The disk. Only regular files are read: a directory, device, FIFO or socket is refused before it
    /// is opened (opening a FIFO waits for a writer; a device such as /dev/zero never ends), and a
    /// file is read up to <see cref="MaxFileSize"/>, whatever size it claims.
    /// </summary>
    private sealed class DiskFileSystem : ISchemaFileSystem
    {
        private static readonly UTF8Encoding StrictUtf8 = new(false, true);

        public string ReadAllText(string path)
        {
            if (Directory.Exists(path))
            {
                throw new IOException("Is a directory");
            }

            if (FileKind.Of(path) is FileKind.Kind.Other)
            {
                throw new IOException("not a regular file");
            }

            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
                if (stream.CanSeek && stream.Length > MaxFileSize)
                {
                    throw new IOException(TooLarge);
                }
                // Read one byte past the limit: a file that grew (or a size that lied) is still caught.
                var buffer = new MemoryStream();
                byte[] chunk = new byte[81920];
                int n;
                while ((n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxFileSize + 1L - buffer.Length))) > 0)
                {
                    buffer.Write(chunk, 0, n);
                    if (buffer.Length > MaxFileSize)
                    {
                        throw new IOException(TooLarge);
                    }
                }
                buffer.Position = 0;
                // Decoded as File.ReadAllText decodes (byte order marks honoured).
                using var reader = new StreamReader(buffer, StrictUtf8, detectEncodingFromByteOrderMarks: true);
                return reader.ReadToEnd();
            }
            catch (DecoderFallbackException e)
            {
                throw new IOException("invalid UTF-8: " + e.Message, e);
            }
        }

        public string GetFullPath(string path) => Path.GetFullPath(path);
    }
}

/// <summary>Schema files held in memory (tests, the source generator), keyed by normalised path.</summary>
public sealed class InMemorySchemaFileSystem : ISchemaFileSystem
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public InMemorySchemaFileSystem Add(string path, string text)
    {
        _files[GetFullPath(path)] = text;
        return this;
    }

    public string ReadAllText(string path)
        => _files.TryGetValue(GetFullPath(path), out string? text) ? text : throw new FileNotFoundException(path);

    /// <summary>Collapses '.' and '..' segments without touching the disk.</summary>
    public string GetFullPath(string path)
    {
        var parts = new List<string>();
        foreach (string? part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }
        return "/" + string.Join("/", parts);
    }
}
