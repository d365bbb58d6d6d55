using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>
/// The real qapigen-host process with stderr a pipe nobody reads (as under a supervisor that
/// only reads on exit): client mistakes are answered with QEMU's errors, never logged, so
/// thousands of them neither fill the pipe nor stall the session.
/// </summary>
public sealed class UnreadStderrTests
{
    private static string HostDll => Path.Combine(AppContext.BaseDirectory, "qapigen-host.dll");

    // Bad requests and the replies QEMU 7.2 gives each (checked against it).
    private static readonly (byte[] Request, string[] Replies)[] Mistakes =
    [
        (Bytes("{\"execute\":\"query-status\",\"id\":\"\xC3(\"}"), ["error GenericError: JSON parse error, invalid UTF-8 sequence in string"]),
        (Bytes("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"\xFF\"}}"), ["error GenericError: JSON parse error, stray '\"\uFFFD'", "error GenericError: JSON parse error, expecting value", "error GenericError: JSON parse error, expecting value"]),
        (Bytes("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"a\xC3\"}}"), ["error GenericError: JSON parse error, invalid UTF-8 sequence in string"]),
        (Bytes("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"\xC0\xAF\"},\"id\":1}"), ["error GenericError: JSON parse error, invalid UTF-8 sequence in string"]),
        (Bytes("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"\xED\xA0\x80\"}}"), ["error GenericError: JSON parse error, invalid UTF-8 sequence in string"]),
        (Bytes("{\"execute\":\"query-status\",\"id\":\"\\ud800\"}"), ["error GenericError: JSON parse error, \\ud800 is not a valid Unicode character"]),
        (Bytes("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"\\udc00x\"}}"), ["error GenericError: JSON parse error, \\udc00 is not a valid Unicode character"]),
    ];

    /// <summary>Each char of <paramref name="text"/> as one byte (so "\xC3" is the byte 0xC3), newline-terminated.</summary>
    private static byte[] Bytes(string text) => [.. text.Select(c => (byte)c), (byte)'\n'];

    [Fact]
    public async Task ThousandsOfBadRequestsWithStderrUnreadAreAllAnswered()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-stderr-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        string socket = Path.Combine(dir, "q.sock");
        ProcessStartInfo info = new("dotnet") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { HostDll, "-qmp", "unix:./q.sock", "-S" })
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info)!;
        try
        {
            for (int i = 0; i < 600 && !File.Exists(socket); i++)
            {
                await Task.Delay(50);
            }
            using ByteQmp qmp = await ByteQmp.ConnectAsync(socket);
            const int Rounds = 60;
            const int PerRound = 50;
            for (int round = 0; round < Rounds; round++)
            {
                List<byte> batch = new();
                List<string> expected = new();
                for (int i = 0; i < PerRound; i++)
                {
                    (byte[]? request, string[]? answers) = Mistakes[(round * PerRound + i) % Mistakes.Length];
                    batch.AddRange(request);
                    expected.AddRange(answers);
                }
                batch.AddRange(Encoding.ASCII.GetBytes($"{{\"execute\":\"query-status\",\"id\":\"sync-{round}\"}}\n"));
                await qmp.SendAsync([.. batch]);
                List<string>? replies = await qmp.ReadUntilAsync($"sync-{round}", TimeSpan.FromSeconds(60));
                Assert.True(replies is not null, $"no answer in round {round}: the session stalled");
                Assert.Equal(expected, replies);
            }
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(Timeouts.Token(TimeSpan.FromSeconds(30)));
        }
        // What the host wrote meanwhile: its start line, no stack trace.
        string stderr = await process.StandardError.ReadToEndAsync();
        Assert.DoesNotContain("   at ", stderr);
        Assert.True(stderr.Length < 1000, "stderr: " + stderr);
        Directory.Delete(dir, true);
    }
}
