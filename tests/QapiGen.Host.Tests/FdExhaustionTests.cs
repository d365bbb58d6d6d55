using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>
/// A client passing fds until the process's fd table is nearly full must get errors, never
/// kill the host or starve its monitors. The host runs as a child process with a small
/// RLIMIT_NOFILE, so the test runner itself is never short of fds.
/// </summary>
public sealed class FdExhaustionTests
{
    private const int FdLimit = 256;
    private const string NoRoom = "File descriptors passed with this message could not be kept: the server is running out of file descriptors (RLIMIT_NOFILE 256)";

    private static string HostDll => Path.Combine(AppContext.BaseDirectory, "qapigen-host.dll");

    private static string Desc(JsonElement reply) =>
        reply.TryGetProperty("error", out JsonElement error) ? error.GetProperty("desc").GetString()! : "(no error: " + reply + ")";

    private static bool Ok(JsonElement reply) => reply.TryGetProperty("return", out _);

    [Fact]
    public async Task AddFdUntilTheFdTableIsNearlyFullThenReconnectEveryMonitorServes()
    {
        string dir = Directory.CreateTempSubdirectory("qapigen-fdx-").FullName;
        string a = Path.Combine(dir, "a.sock"), b = Path.Combine(dir, "b.sock");
        ProcessStartInfo info = new("bash") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"ulimit -n {FdLimit} && exec dotnet \"$0\" -qmp unix:a.sock -qmp unix:b.sock");
        info.ArgumentList.Add(HostDll);
        using Process process = Process.Start(info)!;
        try
        {
            for (int i = 0; i < 2; i++)
            {
                string? line = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.Contains("listening on unix:", line);
            }
            Task<string> stderr = process.StandardError.ReadToEndAsync();

            await using RawQmp other = await RawQmp.ConnectAsync(b);
            int added = 0;
            await using (RawQmp first = await RawQmp.ConnectAsync(a))
            {
                string? refusal = null;
                for (int i = 0; i < 2 * FdLimit && refusal is null; i++)
                {
                    using SafeFileHandle fd = FdTools.DevNull(FileAccess.Read);
                    JsonElement reply = await first.ExecuteAsync("{\"execute\":\"add-fd\"}", fd);
                    if (Ok(reply))
                    {
                        added++;
                    }
                    else
                    {
                        refusal = Desc(reply);
                    }
                }
                Assert.Equal(NoRoom, refusal);
                Assert.True(added > 50, $"only {added} fds were accepted before the refusal");

                // Sixteen at once, the most a message may carry, near the limit: the same error.
                SafeFileHandle[] sixteen = Enumerable.Range(0, 16).Select(_ => FdTools.DevNull(FileAccess.Read)).ToArray();
                try
                {
                    Assert.Equal(NoRoom, Desc(await first.ExecuteAsync("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"x\"}}", sixteen)));
                }
                finally
                {
                    foreach (SafeFileHandle fd in sixteen)
                    {
                        fd.Dispose();
                    }
                }
                Assert.True(Ok(await first.ExecuteAsync("{\"execute\":\"query-status\"}")));

                // Commands that open files stop short of the table's last slots too.
                string? chardevRefusal = null;
                int chardevs = 0;
                for (int i = 0; i < FdLimit && chardevRefusal is null; i++)
                {
                    string id = "f" + i;
                    JsonElement reply = await first.ExecuteAsync($"{{\"execute\":\"chardev-add\",\"arguments\":{{\"id\":\"{id}\",\"backend\":{{\"type\":\"file\",\"data\":{{\"out\":\"{Path.Combine(dir, id)}\"}}}}}}}}");
                    if (Ok(reply))
                    {
                        chardevs++;
                    }
                    else
                    {
                        chardevRefusal = Desc(reply);
                    }
                }
                Assert.Equal($"Failed to add chardev 'f{chardevs}': the server is running out of file descriptors (RLIMIT_NOFILE {FdLimit})", chardevRefusal);
                for (int i = 0; i < chardevs; i++)
                {
                    Assert.True(Ok(await first.ExecuteAsync($"{{\"execute\":\"chardev-remove\",\"arguments\":{{\"id\":\"f{i}\"}}}}")));
                }
            }

            // The client left; the fdsets keep its fds (a disconnect never reaps them). A new client on the same
            // monitor is served, and so is the one connected all along to the other monitor.
            await using RawQmp second = await RawQmp.ConnectAsync(a);
            Assert.True(Ok(await second.ExecuteAsync("{\"execute\":\"query-status\"}")));
            JsonElement sets = (await second.ExecuteAsync("{\"execute\":\"query-fdsets\"}")).GetProperty("return");
            Assert.Equal(added, sets.GetArrayLength());
            Assert.True(Ok(await other.ExecuteAsync("{\"execute\":\"query-status\"}")));

            // Still refused while nearly full; once some fds are removed, add-fd works again.
            using (SafeFileHandle fd = FdTools.DevNull(FileAccess.Read))
            {
                Assert.Equal(NoRoom, Desc(await second.ExecuteAsync("{\"execute\":\"add-fd\"}", fd)));
            }
            for (int set = 0; set < 8; set++)
            {
                Assert.True(Ok(await second.ExecuteAsync($"{{\"execute\":\"remove-fd\",\"arguments\":{{\"fdset-id\":{set}}}}}")));
            }
            using (SafeFileHandle fd = FdTools.DevNull(FileAccess.Read))
            {
                JsonElement reply = await second.ExecuteAsync("{\"execute\":\"add-fd\"}", fd);
                Assert.True(Ok(reply), reply.ToString());
            }

            // The other monitor takes a new client too.
            await other.DisposeAsync();
            await using RawQmp third = await RawQmp.ConnectAsync(b);
            Assert.True(Ok(await third.ExecuteAsync("{\"execute\":\"query-status\"}")));

            Assert.False(process.HasExited, "the host died: " + (process.HasExited ? await stderr : ""));
            Assert.True(Ok(await second.ExecuteAsync("{\"execute\":\"quit\"}")));
            await process.WaitForExitAsync(Timeouts.Token(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            Directory.Delete(dir, recursive: true);
        }
    }
}
