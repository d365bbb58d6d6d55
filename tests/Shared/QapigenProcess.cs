using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace QapiGen.Tests.Shared;

/// <summary>
/// Runs the <c>qapigen</c> built beside the tests (a project reference to QapiGen.Cli copies it there)
/// as a child process: the tool as its users run it, and inputs that could take the stack or the
/// memory of a process run there, so a regression fails a test instead of aborting the test host.
/// </summary>
internal static class QapigenProcess
{
    /// <summary>The exit status the runtime gives a process it aborts (stack overflow, out of memory).</summary>
    public const int Aborted = 134;

    public static Task<(int Code, string Out, string Err)> Run(params string[] args) => RunWith([], args);

    /// <summary>Runs it with <paramref name="environment"/> set in its environment (a null value: removed).</summary>
    public static async Task<(int Code, string Out, string Err)> RunWith((string Name, string? Value)[] environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string name, string? value) in environment)
        {
            if (value == null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }

        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qapigen.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        try
        {
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            p.Kill(true);
            throw;
        }
        return (p.ExitCode, await stdout, await stderr);
    }
}
