using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;

namespace QapiGen.Generator.Tests;

/// <summary>
/// Debian's QEMU 7.2 as a user runs it: a q35 machine (TCG, started paused) with virtio-net on user
/// networking, virtio-blk on a qcow2 image (raw when qemu-img is absent), a serial port, and QMP on a unix
/// socket in a private temporary directory; killed and cleaned up on dispose.
/// </summary>
internal sealed class QemuMachine : IAsyncDisposable
{
    public const string Binary = "/usr/bin/qemu-system-x86_64";
    private const string QemuImg = "/usr/bin/qemu-img";

    private readonly Process _process;

    private QemuMachine(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public string Directory { get; }

    public string Endpoint => "unix:" + Path.Combine(Directory, "qmp.sock");

    public static async Task<QemuMachine> StartAsync()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-machine-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        string disk = Path.Combine(dir, "disk.img");
        string format = "raw";
        if (File.Exists(QemuImg))
        {
            using Process img = Process.Start(new ProcessStartInfo(QemuImg, ["create", "-q", "-f", "qcow2", disk, "64M"]) { RedirectStandardError = true })!;
            await img.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (img.ExitCode == 0)
            {
                format = "qcow2";
            }
        }
        if (format == "raw")
        {
            await using FileStream f = File.Create(disk);
            f.SetLength(64 << 20);
        }
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string? arg in new[]
        {
            "-M", "q35", "-accel", "tcg", "-m", "128", "-nodefaults", "-display", "none", "-S",
            "-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0",
            "-blockdev", $"driver=file,filename={disk},node-name=file0",
            "-blockdev", $"driver={format},file=file0,node-name=disk0",
            "-device", "virtio-blk-pci,drive=disk0",
            "-chardev", "null,id=ser0", "-serial", "chardev:ser0",
            "-qmp", $"unix:{Path.Combine(dir, "qmp.sock")},server=on,wait=off",
        })
        {
            info.ArgumentList.Add(arg);
        }
        Process process = Process.Start(info) ?? throw new InvalidOperationException("QEMU did not start");
        var machine = new QemuMachine(process, dir);
        try
        {
            await UnixListenWait.WaitAsync(Path.Combine(dir, "qmp.sock"), process, TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            string stderr = process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
            await machine.DisposeAsync();
            throw new InvalidOperationException($"QEMU did not start: {e.Message} {stderr}", e);
        }
        return machine;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
