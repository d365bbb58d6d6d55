using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Compat.Inputs;

/// <summary>
/// Runs the git command line. Chosen over a managed library: git is on every machine that has a
/// repository to compare, it reads every repository format git itself writes (packs, worktrees,
/// partial clones, alternates), and starting it costs a few milliseconds with no native library
/// to ship or to load, which keeps the tool trimmable and AOT-compilable.
/// </summary>
internal static class GitCommand
{
    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Plain, untranslated messages that can be quoted in errors; never a pager or a prompt.
        psi.Environment["LC_ALL"] = "C";
        psi.Environment["GIT_PAGER"] = "cat";
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    public static Process Start(ProcessStartInfo psi)
    {
        try
        {
            return Process.Start(psi) ?? throw new CompatInputException("git: could not be started");
        }
        catch (Win32Exception e)
        {
            throw new CompatInputException($"git: could not be started ({e.Message}); --against git:... needs the git command");
        }
    }

    /// <summary>Runs git to completion; returns its standard output, or throws with its standard error.</summary>
    public static async Task<string> RunAsync(string workingDirectory, string what, CancellationToken cancellationToken, params string[] args)
    {
        using Process process = Start(StartInfo(workingDirectory, args));
        process.StandardInput.Close();
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            string output = await stdout.ConfigureAwait(false);
            string error = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new CompatInputException($"{what}: {FirstLine(error)}");
            }

            return output;
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static string FirstLine(string text)
    {
        text = text.Trim();
        int nl = text.IndexOf('\n');
        string line = nl < 0 ? text : text.Substring(0, nl);
        return line.StartsWith("fatal: ", StringComparison.Ordinal) ? line.Substring(7) : line;
    }
}
