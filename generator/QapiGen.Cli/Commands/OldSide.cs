using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Compat;
using QapiGen.Compat.Inputs;

namespace QapiGen.Cli.Commands;

/// <summary>
/// The old side named by <c>--against REF</c>: <c>git:REV[:PATH]</c> (a revision of the repository
/// holding NEW; PATH from the top of the repository, by default NEW's own path), <c>DIR[:PATH]</c>
/// (a checkout or an unpacked release) or <c>ARCHIVE[:PATH]</c> (a tar, optionally gzip-compressed).
/// Without PATH, the old main file is where NEW is, in that tree.
/// </summary>
internal sealed record OldSide(SchemaSource Source, string MainFile, bool NamesAreFiles) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Source is IAsyncDisposable d ? d.DisposeAsync() : default;

    public static async Task<OldSide> ResolveAsync(string reference, string newFile, string workingDirectory,
        CancellationToken cancellationToken)
    {
        if (reference.StartsWith("git:", StringComparison.Ordinal))
        {
            string rest = reference.Substring(4);
            int colon = rest.IndexOf(':');
            string revision = colon < 0 ? rest : rest.Substring(0, colon);
            string? path = colon < 0 ? null : rest.Substring(colon + 1);
            string newPath = Path.GetFullPath(Path.Combine(workingDirectory, newFile));
            (GitRevisionSource? source, string? prefix) = await GitRevisionSource.OpenAsync(Path.GetDirectoryName(newPath)!, revision, cancellationToken)
                .ConfigureAwait(false);
            path ??= prefix + Path.GetFileName(newPath);
            return new OldSide(source, source.NameOf(path), false);
        }

        (string? tree, string? inner) = Split(reference, workingDirectory);
        string treePath = Path.Combine(workingDirectory, tree);
        inner ??= Path.IsPathRooted(newFile)
            ? throw new UsageException($"NEW is an absolute path: name the file inside {tree} as --against {tree}:PATH")
            : newFile;
        if (Directory.Exists(treePath))
        {
            return new OldSide(new DiskSource(workingDirectory), Path.Combine(tree, inner), true);
        }

        TarSource tar = await TarSource.OpenAsync(treePath, cancellationToken).ConfigureAwait(false);
        return new OldSide(tar, tar.NameOf(inner), false);
    }

    /// <summary>TREE or TREE:PATH, where TREE exists (a path may itself hold a ':').</summary>
    private static (string Tree, string? Path) Split(string reference, string workingDirectory)
    {
        bool Exists(string p) => File.Exists(Path.Combine(workingDirectory, p)) || Directory.Exists(Path.Combine(workingDirectory, p));
        if (Exists(reference))
        {
            return (reference, null);
        }

        for (int colon = reference.LastIndexOf(':'); colon > 0; colon = reference.LastIndexOf(':', colon - 1))
        {
            if (Exists(reference.Substring(0, colon)))
            {
                return (reference.Substring(0, colon), reference.Substring(colon + 1));
            }
        }
        throw new CompatInputException(
            $"--against {reference}: no such directory or archive (a git revision is written git:REV)");
    }
}
