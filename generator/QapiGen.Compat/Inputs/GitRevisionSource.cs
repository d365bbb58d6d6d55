using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Compat.Inputs;

/// <summary>
/// The files of one git revision, read from the object database (<c>git cat-file --batch</c>): the
/// working tree and the index are never touched, so a comparison can run in the middle of an edit.
/// Files are named <c>REV:path</c> (path from the top of the repository), as <c>git show</c> takes them.
/// </summary>
public sealed class GitRevisionSource : SchemaSource, IAsyncDisposable
{
    private readonly string _commit;
    private Process? _batch;
    private ObjectReader? _reader;

    private GitRevisionSource(string repository, string revision, string commit)
    {
        Repository = repository;
        Revision = revision;
        _commit = commit;
    }

    /// <summary>The top directory of the repository's working tree.</summary>
    public string Repository { get; }

    /// <summary>The revision as the user named it; the prefix of every file name.</summary>
    public string Revision { get; }

    /// <summary>
    /// Opens <paramref name="revision"/> of the repository that holds <paramref name="directory"/>, and
    /// gives the path of <paramref name="directory"/> from the top of that repository.
    /// </summary>
    public static async Task<(GitRevisionSource Source, string Prefix)> OpenAsync(string directory, string revision,
        CancellationToken cancellationToken)
    {
        if (revision.Length == 0 || revision.StartsWith("-", StringComparison.Ordinal))
        {
            throw new CompatInputException($"git: '{revision}' is not a revision");
        }

        if (!Directory.Exists(directory))
        {
            throw new CompatInputException($"git: {directory}: No such directory");
        }
        // The reader of objects starts while the revision is resolved: the two process starts overlap.
        Process batch = GitCommand.Start(GitCommand.StartInfo(directory, "cat-file", "--batch"));
        try
        {
            string output = await GitCommand.RunAsync(directory, $"git: revision '{revision}'", cancellationToken,
                "rev-parse", "--show-toplevel", "--show-prefix", revision + "^{commit}").ConfigureAwait(false);
            string[] lines = output.Split('\n');
            if (lines.Length < 3 || lines[2].Length == 0)
            {
                throw new CompatInputException($"git: revision '{revision}': unexpected answer from git rev-parse");
            }

            return (new GitRevisionSource(lines[0], revision, lines[2].Trim()) { _batch = batch }, lines[1]);
        }
        catch
        {
            await StopAsync(batch).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The name of the file at <paramref name="path"/> (from the top of the repository).</summary>
    public string NameOf(string path) => VirtualPaths.Name(Revision, path);

    public override string Key(string name) => "/" + VirtualPaths.PathOf(Revision, name);

    public override async Task<IReadOnlyList<FileRead>> ReadAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        Process batch = _batch ?? throw new ObjectDisposedException(nameof(GitRevisionSource));
        var request = new StringBuilder();
        foreach (string name in names)
        {
            string path = VirtualPaths.PathOf(Revision, name);
            if (path.IndexOf('\n') >= 0)
            {
                throw new CompatInputException($"{name}: a file name with a newline cannot be read from git");
            }

            request.Append(_commit).Append(':').Append(path).Append('\n');
        }
        Stream stdin = batch.StandardInput.BaseStream;
        byte[] bytes = Encoding.UTF8.GetBytes(request.ToString());
        await stdin.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);

        ObjectReader reader = _reader ??= new ObjectReader(batch.StandardOutput.BaseStream);
        var results = new List<FileRead>(names.Count);
        foreach (string name in names)
        {
            // "<oid> <type> <size>\n<contents>\n", or "<object> missing\n" / "<object> ambiguous\n".
            string header = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new CompatInputException($"git cat-file: ended early (reading {name})");
            string[] parts = header.Split(' ');
            if (parts.Length == 3 && long.TryParse(parts[2], out long size))
            {
                byte[] content = await reader.ReadExactlyAsync(checked((int)size) + 1, cancellationToken).ConfigureAwait(false);
                if (parts[1] == "blob")
                {
                    results.Add(Read(name, content, (int)size));
                }
                else
                {
                    results.Add(new FileRead(name, null, new IOException(parts[1] == "tree" ? "Is a directory" : $"not a file ({parts[1]})")));
                }
            }
            else
            {
                results.Add(new FileRead(name, null, new FileNotFoundException($"not in revision {Revision}", name)));
            }
        }
        return results;
    }

    private static FileRead Read(string name, byte[] content, int size)
    {
        try
        {
            return new FileRead(name, Decode(content, 0, size), null);
        }
        catch (IOException e)
        {
            return new FileRead(name, null, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_batch == null)
        {
            return;
        }

        Process batch = _batch;
        _batch = null;
        await StopAsync(batch).ConfigureAwait(false);
    }

    /// <summary>Ends the batch process: end of input makes git exit; it is killed if it does not within seconds.</summary>
    private static async Task StopAsync(Process batch)
    {
        try
        {
            batch.StandardInput.Close();
        }
        catch (IOException)
        {
            // git already ended
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await batch.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            GitCommand.Kill(batch);
        }
        batch.Dispose();
    }

    /// <summary>Reads git's byte stream: header lines and contents of known size.</summary>
    private sealed class ObjectReader
    {
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public ObjectReader(Stream stream) => _stream = stream;

        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return line.Length == 0 ? null : Encoding.UTF8.GetString(line.ToArray());
                }

                int nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (nl >= 0)
                {
                    line.Write(_buffer, _start, nl - _start);
                    _start = nl + 1;
                    return Encoding.UTF8.GetString(line.ToArray());
                }
                line.Write(_buffer, _start, _end - _start);
                _start = _end;
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
        {
            byte[] result = new byte[count];
            int done = 0;
            while (done < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new CompatInputException("git cat-file: ended in the middle of a file");
                }

                int n = Math.Min(count - done, _end - _start);
                Buffer.BlockCopy(_buffer, _start, result, done, n);
                _start += n;
                done += n;
            }
            return result;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await _stream.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            return _end > 0;
        }
    }
}
