using System.Collections.Generic;
using System.IO;
using QapiGen.Schema.Parsing;

namespace QapiGen.Generator;

/// <summary>
/// The front end's file system in the generator: the schema files MSBuild passed, and nothing else
/// (a generator must not read the disk: what it reads behind Roslyn's back would not regenerate when edited).
/// </summary>
internal sealed class PassedFiles : ISchemaFileSystem
{
    private static readonly InMemorySchemaFileSystem Paths = new();

    private readonly Dictionary<string, string> _texts = new(System.StringComparer.Ordinal);

    /// <summary>The key of a path: '.' and '..' collapsed, as the parser compares files.</summary>
    public static string Key(string path) => Paths.GetFullPath(path);

    public void Add(string path, string text) => _texts[Key(path)] = text;

    public string ReadAllText(string path) => _texts.TryGetValue(Key(path), out string? text) ? text
        : throw new IOException("no such file among the generator's inputs (the *.json files under the main schema's folder "
            + "and under the folders in the QapiSchema item's IncludeDirs metadata)");

    public string GetFullPath(string path) => Key(path);
}
