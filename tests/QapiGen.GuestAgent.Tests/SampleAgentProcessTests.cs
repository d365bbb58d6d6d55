using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Client;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests;

/// <summary>The sample as its users start it: its own process, serving the socket given on the command line.</summary>
[Collection(FdCountingCollection.Name)]
public class SampleAgentProcessTests
{
    [Fact]
    public async Task ServesTheSocketGivenOnTheCommandLineUntilTerminated()
    {
        string directory = Directory.CreateTempSubdirectory("qga-sample-process-").FullName;
        string socket = Path.Combine(directory, "agent.sock");
        // The sample's assembly is copied beside the tests (project reference); run it as `dotnet run` does.
        string assembly = Path.Combine(AppContext.BaseDirectory, "QapiGen.Samples.GuestAgent.dll");
        ProcessStartInfo start = new("dotnet") { ArgumentList = { assembly, "--socket", socket }, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        try
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            DateTime until = DateTime.UtcNow.AddSeconds(120);
            QgaClient? client = null;
            while (client is null)
            {
                try
                {
                    client = await QgaClient.ConnectAsync("unix:" + socket, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(60) });
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException && DateTime.UtcNow < until && !process.HasExited)
                {
                    await Task.Delay(100);
                }
            }
            await using (client)
            {
                Assert.Equal("{}", (await client.ExecuteAsync("guest-ping")).GetRawText());
                Assert.Equal(12, (await client.ExecuteAsync("guest-sync", (System.Text.Json.JsonElement?)System.Text.Json.JsonDocument.Parse("{\"id\":12}").RootElement)).GetInt64());
            }
            // SIGTERM: the agent stops serving, removes its socket and exits with 0.
            Assert.Equal(0, Interop.Kill(process.Id, 15));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("listening on " + socket, await stderr);
            Assert.False(File.Exists(socket));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static class Interop
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
