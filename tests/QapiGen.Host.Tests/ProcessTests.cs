using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Hosting;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>The real qapigen-host process: its command line, default socket, signals and quit.</summary>
public sealed class ProcessTests
{
    private static string HostDll => Path.Combine(AppContext.BaseDirectory, "qapigen-host.dll");

    private static Process Start(string workingDirectory, params string[] args)
    {
        ProcessStartInfo info = new("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(HostDll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Out, string Err)> RunToEndAsync(params string[] args)
    {
        using Process process = Start(Path.GetTempPath(), args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Timeouts.Token(TimeSpan.FromSeconds(30)));
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-proc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public async Task HelpVersionAndBadOptions()
    {
        (int Code, string Out, string Err) help = await RunToEndAsync("--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("-chardev socket,id=ID,path=PATH,server=on", help.Out);
        (int Code, string Out, string Err) version = await RunToEndAsync("--version");
        Assert.Equal(0, version.Code);
        Assert.StartsWith("qapigen-host version 7.2.0", version.Out);
        (int Code, string Out, string Err) bad = await RunToEndAsync("-chardev", "socket,id=a,path=/x,server=on,foo=1");
        Assert.Equal(1, bad.Code);
        Assert.Equal("qapigen-host: -chardev socket,id=a,path=/x,server=on,foo=1: Invalid parameter 'foo'\n", bad.Err);
        (int Code, string Out, string Err) unusable = await RunToEndAsync("-qmp", "unix:/nonexistent/dir/q.sock");
        Assert.Equal(1, unusable.Code);
        Assert.StartsWith("qapigen-host: Failed to add chardev 'compat_monitor0': Failed to bind socket to /nonexistent/dir/q.sock", unusable.Err);
    }

    /// <summary>No arguments: serves ./qmp.sock, says so, and SIGTERM shuts it down cleanly (SHUTDOWN sent, socket removed).</summary>
    [Fact]
    public async Task DefaultSocketAndCleanShutdownOnSigterm()
    {
        string dir = TempDir();
        using Process process = Start(dir);
        string socket = Path.Combine(dir, "qmp.sock");
        string? line = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal($"qapigen-host: QMP monitor 'mon0' listening on unix:./qmp.sock", line);
        Assert.True(File.Exists(socket));
        await using RawQmp qmp = await RawQmp.ConnectAsync(socket);
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"query-status\"}")).TryGetProperty("return", out _));

        Assert.Equal(0, Kill(process.Id, 15));
        JsonElement shutdown = await qmp.ReadEventAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("host-signal", shutdown.GetProperty("data").GetProperty("reason").GetString());
        await process.WaitForExitAsync(Timeouts.Token(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, process.ExitCode);
        Assert.False(File.Exists(socket));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task QuitEndsTheProcess()
    {
        string dir = TempDir();
        using Process process = Start(dir, "--qmp", "unix:./q.sock", "-S");
        await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await using RawQmp qmp = await RawQmp.ConnectAsync(Path.Combine(dir, "q.sock"));
        Assert.True((await qmp.ExecuteAsync("{\"execute\":\"quit\"}")).TryGetProperty("return", out _));
        Assert.Equal("SHUTDOWN", (await qmp.ReadEventAsync()).GetProperty("event").GetString());
        await process.WaitForExitAsync(Timeouts.Token(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, process.ExitCode);
        Assert.False(File.Exists(Path.Combine(dir, "q.sock")));
        Directory.Delete(dir, true);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
