using System;
using System.IO;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// The disk, with relative names resolved against a base directory instead of the process's working
/// directory. Lets a schema be read with the file names the reference prints (e.g. <c>NAME.json</c>
/// relative to a test directory) without changing the working directory.
/// </summary>
public sealed class RootedFileSystem : ISchemaFileSystem, IUtf8SchemaFileSystem
{
    public RootedFileSystem(string baseDirectory)
    {
        BaseDirectory = Path.GetFullPath(baseDirectory);
    }

    public string BaseDirectory { get; }

    public string ReadAllText(string path) => SchemaFileSystem.Disk.ReadAllText(Resolve(path));

    SchemaBytes IUtf8SchemaFileSystem.ReadUtf8(string path) => ((IUtf8SchemaFileSystem)SchemaFileSystem.Disk).ReadUtf8(Resolve(path));

    public string GetFullPath(string path) => Path.GetFullPath(Resolve(path));

    private string Resolve(string path)
        => Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory, path.Length == 0 ? "." : path);
}
