using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Runtime.Tests.Support;

/// <summary>A fact that needs the real guest agent (Debian's qemu-guest-agent); skipped, visibly, without it.</summary>
public sealed class QemuGaFactAttribute : FactAttribute
{
    public QemuGaFactAttribute()
    {
        if (!File.Exists(QemuGa.Binary))
        {
            Skip = QemuGa.Binary + " is not installed";
        }
    }
}

/// <summary>
/// A real qemu-ga serving a unix socket as an ordinary process (no VM): the same agent and wire
/// protocol a guest runs, reached without virtio-serial. It serves one client at a time.
/// </summary>
public sealed class QemuGa : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/qemu-ga";

    private readonly Process _process;
    private readonly string _directory;

    private QemuGa(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public string SocketPath => Path.Combine(_directory, "qga.sock");

    public string Endpoint => "unix:" + SocketPath;

    public static async Task<QemuGa> StartAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "qga-" + Guid.NewGuid().ToString("N")[..12]);
        // The state directory must exist: the agent keeps its persistent state there and refuses to start otherwise.
        Directory.CreateDirectory(Path.Combine(directory, "state"));
        ProcessStartInfo start = new(Binary)
        {
            ArgumentList = { "-m", "unix-listen", "-p", Path.Combine(directory, "qga.sock"), "-t", Path.Combine(directory, "state"), "-f", Path.Combine(directory, "qga.pid") },
            UseShellExecute = false,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("qemu-ga did not start");
        QemuGa agent = new(process, directory);
        // Generous: the machine may be loaded. The socket is ready once a connect succeeds.
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                await agent.DisposeAsync();
                throw new InvalidOperationException($"qemu-ga exited with {process.ExitCode}");
            }
            if (File.Exists(agent.SocketPath))
            {
                using Socket probe = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await probe.ConnectAsync(new UnixDomainSocketEndPoint(agent.SocketPath));
                    return agent;
                }
                catch (SocketException) when (DateTime.UtcNow < until)
                {
                }
            }
            if (DateTime.UtcNow > until)
            {
                await agent.DisposeAsync();
                throw new TimeoutException("qemu-ga did not open its socket");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
