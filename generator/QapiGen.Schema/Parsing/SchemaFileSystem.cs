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
    public static ISchemaFileSystem Disk { get; } = new DiskFileSystem();

    /// <summary>The strerror-style reason the reference prints after "can't read include file".</summary>
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message,
    };

    private sealed class DiskFileSystem : ISchemaFileSystem
    {
        private static readonly UTF8Encoding StrictUtf8 = new(false, true);

        public string ReadAllText(string path)
        {
            if (Directory.Exists(path))
                throw new IOException("Is a directory");
            try
            {
                return File.ReadAllText(path, StrictUtf8);
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
        => _files.TryGetValue(GetFullPath(path), out var text) ? text : throw new FileNotFoundException(path);

    /// <summary>Collapses '.' and '..' segments without touching the disk.</summary>
    public string GetFullPath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
                parts.RemoveAt(parts.Count - 1);
            else
                parts.Add(part);
        }
        return "/" + string.Join("/", parts);
    }
}
