using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Host.Tests.Support;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// The real qapigen-host as a separate process (so it can be killed mid-migration or exit on
/// its own), with a QMP socket in a private directory and the typed client connected to it.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private HostProcess(Process process, string directory)
    {
        _process = process;
        Directory = directory;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public string Directory { get; }

    public QapiClient Client { get; private set; } = null!;

    public int Id => _process.Id;

    public string PathOf(string name) => Path.Combine(Directory, name);

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>qapigen-host -qmp unix:DIR/qmp.sock ARGS</c> ("{dir}" in ARGS is DIR) and connects.</summary>
    public static async Task<HostProcess> StartAsync(params string[] args)
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-hostproc-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        ProcessStartInfo info = new("dotnet") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qapigen-host.dll"));
        info.ArgumentList.Add("-qmp");
        info.ArgumentList.Add($"unix:{Path.Combine(dir, "qmp.sock")},server=on,wait=off");
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg.Replace("{dir}", dir, StringComparison.Ordinal));
        }
        Process process = Process.Start(info) ?? throw new InvalidOperationException("qapigen-host did not start");
        HostProcess host = new(process, dir);
        try
        {
            string socket = Path.Combine(dir, "qmp.sock");
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!File.Exists(socket))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    if (process.HasExited)
                    {
                        // Lets the stderr reader deliver the last lines before they are quoted.
                        await process.WaitForExitAsync();
                    }
                    throw new InvalidOperationException($"qapigen-host did not come up: {host.StandardError}");
                }
                await Task.Delay(20);
            }
            // The socket file appears at bind(), a moment before listen(): until then connecting is refused.
            while (true)
            {
                try
                {
                    host.Client = await QapiClient.ConnectAsync("unix:" + socket, null, Timeouts.Token());
                    return host;
                }
                catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                }
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public void Kill() => _process.Kill();

    /// <summary>Waits for the process to end on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync(Timeouts.Token(timeout ?? TimeSpan.FromSeconds(30)));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
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
