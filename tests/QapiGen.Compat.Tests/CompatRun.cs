using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Cli.Commands;

namespace QapiGen.Compat.Tests;

/// <summary>Runs <c>qapigen compat</c> in-process, relative paths resolved against <paramref name="dir"/>.</summary>
internal static class CompatRun
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(string dir, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var cts = new CancellationTokenSource(System.TimeSpan.FromMinutes(5));
        int code = await CompatCommand.RunAsync(args, stdout, stderr, dir, cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
