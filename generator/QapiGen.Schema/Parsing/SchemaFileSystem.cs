using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// Where schema text comes from. The CLI reads the disk; the source generator hands in the
/// texts MSBuild gave it (AdditionalFiles), so the front end never touches files behind its back.
/// Both methods may be called from several threads at once: included files are parsed in parallel.
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

    /// <summary>
    /// <see cref="ReadSchemaText"/> as UTF-8 bytes, which the parser lexes: read as bytes from a file
    /// system that can (the disk), encoded from the text otherwise.
    /// </summary>
    internal static SchemaBytes ReadSchemaBytes(ISchemaFileSystem fs, string path)
        => fs is IUtf8SchemaFileSystem utf8 ? utf8.ReadUtf8(path) : SchemaBytes.Of(ReadSchemaText(fs, path));

    private static readonly string TooLarge = $"file too large (more than {MaxFileSize / (1024 * 1024)} MiB)";

    /// <summary>
    /// The disk. Only regular files are read: a directory, device, FIFO or socket is refused before it
    /// is opened (opening a FIFO waits for a writer; a device such as /dev/zero never ends), and a
    /// file is read up to <see cref="MaxFileSize"/>, whatever size it claims.
    /// </summary>
    private sealed class DiskFileSystem : ISchemaFileSystem, IUtf8SchemaFileSystem
    {
        private static readonly UTF8Encoding StrictUtf8 = new(false, true);

        // The read buffer of the thread's last file, kept for the next one (an include reads dozens):
        // a fresh buffer per file was a third of the bytes a load of QEMU's schema allocated, and in a
        // short-lived process fresh memory is most of the cost (docs/native.md). Up to 1 MiB is kept.
        [ThreadStatic]
        private static byte[]? _buffer;
        private const int MaxReusedBuffer = 1024 * 1024;

        public string ReadAllText(string path)
        {
            byte[] buffer = ReadBytes(path, reuse: true, out int count);
            try
            {
                return Decode(buffer, count);
            }
            catch (DecoderFallbackException e)
            {
                throw new IOException("invalid UTF-8: " + e.Message, e);
            }
        }

        public SchemaBytes ReadUtf8(string path)
        {
            // A buffer of its own: the file's docs keep their text as these bytes (DocLines).
            byte[] buffer = ReadBytes(path, reuse: false, out int count);
            try
            {
                if (count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    // Checked, not decoded: counting the characters validates without making them.
                    StrictUtf8.GetCharCount(buffer, 3, count - 3);
                    return new SchemaBytes(buffer, 3, count - 3);
                }

                if (count >= 2 && (buffer[0] is 0xFE or 0xFF || (buffer[0] == 0 && buffer[1] == 0)))
                {
                    // Another encoding (rare): decoded as ReadAllText decodes it, then made UTF-8.
                    return SchemaBytes.Of(Decode(buffer, count));
                }

                StrictUtf8.GetCharCount(buffer, 0, count);
                return new SchemaBytes(buffer, 0, count);
            }
            catch (DecoderFallbackException e)
            {
                throw new IOException("invalid UTF-8: " + e.Message, e);
            }
        }

        // The file's bytes (one byte of room after them), in the thread's read buffer if reused.
        private static byte[] ReadBytes(string path, bool reuse, out int count)
        {
            if (Directory.Exists(path))
            {
                throw new IOException("Is a directory");
            }

            if (FileKind.Of(path) is FileKind.Kind.Other)
            {
                throw new IOException("not a regular file");
            }

            // One read into a buffer of the file's size: no chunk buffers, no growing stream. The
            // text is most of what a schema load allocates, and in a short-lived process every fresh
            // page is a page fault.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            long length = stream.CanSeek ? stream.Length : 0;
            if (length > MaxFileSize)
            {
                throw new IOException(TooLarge);
            }
            // One byte past the size it claims: a file that grew (or a size that lied) is still read whole.
            // Bytes that are dropped once decoded share one buffer for every file a thread reads.
            byte[] buffer = reuse && _buffer is { } reused && reused.Length >= length + 1 ? reused : new byte[length + 1];
            count = 0;
            int n;
            while ((n = stream.Read(buffer, count, buffer.Length - count)) > 0)
            {
                count += n;
                if (count > MaxFileSize)
                {
                    throw new IOException(TooLarge);
                }

                if (count == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(Math.Max(buffer.Length * 2L, 4096), MaxFileSize + 1L));
                }
            }
            if (reuse && buffer.Length <= MaxReusedBuffer)
            {
                _buffer = buffer;
            }

            return buffer;
        }

        /// <summary>
        /// Decoded as File.ReadAllText decodes: UTF-8 (strictly), a UTF-8 byte order mark skipped, and
        /// any other byte order mark honoured (through StreamReader, which recognises them all).
        /// </summary>
        private static string Decode(byte[] bytes, int count)
        {
            if (count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            {
                return StrictUtf8.GetString(bytes, 3, count - 3);
            }

            if (count >= 2 && (bytes[0] is 0xFE or 0xFF || (bytes[0] == 0 && bytes[1] == 0)))
            {
                using var reader = new StreamReader(new MemoryStream(bytes, 0, count), StrictUtf8, detectEncodingFromByteOrderMarks: true);
                return reader.ReadToEnd();
            }
            return StrictUtf8.GetString(bytes, 0, count);
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
