using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Schema.Parsing;

namespace QapiGen.Compat.Inputs;

/// <summary>
/// The files of one side, read once each, ahead of parsing: the main file and, transitively, what
/// it includes. The front end then reads them from memory. Reading once is what makes pipes and
/// <c>/dev/stdin</c> work (a second read of a pipe finds it empty), and keeping the texts lets
/// findings be located to the column.
/// </summary>
public sealed class SchemaFileSet : ISchemaFileSystem
{
    private readonly SchemaSource _source;
    private readonly Dictionary<string, FileRead> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _textByName = new(StringComparer.Ordinal);

    private SchemaFileSet(SchemaSource source, string mainFile)
    {
        _source = source;
        MainFile = mainFile;
    }

    /// <summary>The main file's name, as findings and errors print it.</summary>
    public string MainFile { get; }

    /// <summary>The main file's text.</summary>
    public string MainText { get; private set; } = "";

    /// <summary>
    /// Reads <paramref name="mainFile"/> and what it includes. An unreadable main file is an error;
    /// an unreadable include is left for the front end to report where it is included.
    /// </summary>
    /// <exception cref="CompatInputException">the main file cannot be read.</exception>
    public static async Task<SchemaFileSet> ReadAsync(SchemaSource source, string mainFile, CancellationToken cancellationToken)
    {
        var set = new SchemaFileSet(source, mainFile);
        var wave = new List<string> { mainFile };
        set._byKey[source.Key(mainFile)] = new FileRead(mainFile, null, null);
        while (wave.Count > 0)
        {
            IReadOnlyList<FileRead> reads = await source.ReadAsync(wave, cancellationToken).ConfigureAwait(false);
            var next = new List<string>();
            foreach (FileRead read in reads)
            {
                set._byKey[source.Key(read.Name)] = read;
                if (read.Text == null)
                {
                    continue;
                }

                set._textByName[read.Name] = read.Text;
                foreach (string include in IncludeScanner.Scan(read.Name, read.Text))
                {
                    string key = source.Key(include);
                    if (set._byKey.ContainsKey(key))
                    {
                        continue;
                    }

                    set._byKey[key] = new FileRead(include, null, null);
                    next.Add(include);
                }
            }
            wave = next;
        }
        FileRead main = set._byKey[source.Key(mainFile)];
        if (main.Text == null)
        {
            string reason = Describe(main.Error);
            throw new CompatInputException($"can't read schema file '{mainFile}': {reason}", new SourceLocation(mainFile, null), reason);
        }
        set.MainText = main.Text;
        return set;
    }

    /// <summary>The text of a file read for this side, by the name findings print; null if it was not read.</summary>
    public string? TextOf(string name) => _textByName.TryGetValue(name, out string? text) ? text : null;

    string ISchemaFileSystem.ReadAllText(string path)
    {
        if (_byKey.TryGetValue(_source.Key(path), out FileRead? read))
        {
            if (read.Text != null)
            {
                _textByName[path] = read.Text;
                return read.Text;
            }
            if (read.Error is IOException io)
            {
                throw io;
            }

            if (read.Error != null)
            {
                throw new IOException(Describe(read.Error), read.Error);
            }
        }
        throw new FileNotFoundException("not read ahead", path);
    }

    string ISchemaFileSystem.GetFullPath(string path) => _source.Key(path);

    internal static string Describe(Exception? e) => e == null ? "not read" : SchemaFileSystem.Describe(e);
}
