using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Compat.Tests;

/// <summary>A throwaway git repository with schema files committed in steps.</summary>
internal sealed class GitRepo : IDisposable
{
    public GitRepo()
    {
        Dir = Path.Combine(Path.GetTempPath(), "qapigen-git-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    public string Dir { get; }

    public static async Task<GitRepo> CreateAsync()
    {
        var repo = new GitRepo();
        await repo.GitAsync("init", "-q", "-b", "main");
        return repo;
    }

    /// <summary>Writes a file (double quotes turned into the schema's single quotes when <paramref name="schemaQuotes"/>).</summary>
    public string Write(string path, string text, bool schemaQuotes = true)
    {
        string full = Path.Combine(Dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, schemaQuotes ? text.Replace('"', '\'') : text);
        return full;
    }

    public async Task CommitAsync(string message)
    {
        await GitAsync("add", "-A");
        await GitAsync("commit", "-q", "-m", message);
    }

    public async Task<string> GitAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = Dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
        Task<string> stderr = p.StandardError.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(" ", args)}: {await stderr}");
        }

        return await stdout;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, true);
        }
        catch (IOException)
        {
            // best effort
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
