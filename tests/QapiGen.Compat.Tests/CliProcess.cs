using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Cli.Commands;

namespace QapiGen.Compat.Tests;

/// <summary>Runs the built <c>qapigen</c> as a separate process (for stdin, pipes and shell lines).</summary>
internal static class CliProcess
{
    /// <summary>The tool's assembly, copied beside the tests by the project reference.</summary>
    public static string Dll => typeof(CompatCommand).Assembly.Location;

    /// <summary>A shell function line that makes <c>qapigen</c> run the built tool.</summary>
    public static string ShellFunction => $"qapigen() {{ dotnet '{Dll}' \"$@\"; }}";

    public static async Task<(int Code, string Out, string Err)> RunAsync(string file, string[] args, string workingDirectory,
        string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
        Task<string> stderr = p.StandardError.ReadToEndAsync(cts.Token);
        if (stdin != null)
        {
            await p.StandardInput.WriteAsync(stdin.AsMemory(), cts.Token);
        }

        p.StandardInput.Close();
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    public static Task<(int Code, string Out, string Err)> QapigenAsync(string workingDirectory, string? stdin, params string[] args)
    {
        string[] all = new string[args.Length + 1];
        all[0] = Dll;
        Array.Copy(args, 0, all, 1, args.Length);
        return RunAsync("dotnet", all, workingDirectory, stdin);
    }

    /// <summary>Runs <paramref name="script"/> with bash, <c>qapigen</c> defined as the built tool.</summary>
    public static Task<(int Code, string Out, string Err)> BashAsync(string workingDirectory, string script)
        => RunAsync("bash", new[] { "-c", ShellFunction + "\n" + script }, workingDirectory);
}
