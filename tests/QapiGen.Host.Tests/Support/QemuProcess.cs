using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;

namespace QapiGen.Host.Tests.Support;

/// <summary>
/// Real QEMU as the reference: <c>qemu-system-x86_64 -M none -nodefaults -display none -S -qmp
/// unix:PATH,server=on,wait=off</c> in a private temporary directory, killed on dispose.
/// </summary>
internal sealed class QemuProcess : IAsyncDisposable
{
    private readonly Process _process;

    private QemuProcess(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    /// <summary>The qemu-system-x86_64 on PATH, or null.</summary>
    public static string? Executable { get; } = Find();

    public string Directory { get; }

    public string SocketPath => Path.Combine(Directory, "qmp.sock");

    public static async Task<QemuProcess> StartAsync(params string[] extraArgs)
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-qemu-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        ProcessStartInfo info = new(Executable ?? throw new InvalidOperationException("QEMU is not installed"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in new[] { "-M", "none", "-nodefaults", "-display", "none", "-S", "-qmp", $"unix:{Path.Combine(dir, "qmp.sock")},server=on,wait=off" })
        {
            info.ArgumentList.Add(arg);
        }
        foreach (string arg in extraArgs)
        {
            info.ArgumentList.Add(arg.Replace("{dir}", dir, StringComparison.Ordinal));
        }
        Process process = Process.Start(info) ?? throw new InvalidOperationException("QEMU did not start");
        QemuProcess qemu = new(process, dir);
        try
        {
            await UnixListenWait.WaitAsync(qemu.SocketPath, process, TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            string stderr = process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
            await qemu.DisposeAsync();
            throw new InvalidOperationException($"QEMU did not start: {e.Message} {stderr}", e);
        }
        return qemu;
    }

    public Task<RawQmp> ConnectAsync(bool negotiate = true) => RawQmp.ConnectAsync(SocketPath, negotiate, repeatedGreeting: true);

    private static string? Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "qemu-system-x86_64");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
