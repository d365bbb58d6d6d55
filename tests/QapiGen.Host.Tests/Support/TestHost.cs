using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Host.Hosting;
using QapiGen.Host.Options;

namespace QapiGen.Host.Tests.Support;

/// <summary>An in-process host serving a QMP monitor on a unix socket in a private temporary directory.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(string directory, QmpHost host)
    {
        Directory = directory;
        Host = host;
    }

    public string Directory { get; }

    public QmpHost Host { get; }

    /// <summary>The main monitor's socket.</summary>
    public string SocketPath => Path.Combine(Directory, "qmp.sock");

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>
    /// Starts a host with <c>-qmp unix:DIR/qmp.sock</c> plus <paramref name="args"/>, where
    /// "{dir}" stands for the temporary directory.
    /// </summary>
    public static async Task<TestHost> StartAsync(params string[] args) => await StartAsync(o => o, args);

    public static async Task<TestHost> StartAsync(Func<HostOptions, HostOptions> adjust, params string[] args)
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-host-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        List<string> all = new() { "-qmp", $"unix:{Path.Combine(dir, "qmp.sock")},server=on,wait=off" };
        foreach (string arg in args)
        {
            all.Add(arg.Replace("{dir}", dir, StringComparison.Ordinal));
        }
        HostOptions options = adjust(HostOptionsParser.Parse(all));
        QmpHost host = await QmpHost.StartAsync(options);
        return new TestHost(dir, host);
    }

    public Task<RawQmp> ConnectAsync(bool negotiate = true) => RawQmp.ConnectAsync(SocketPath, negotiate);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
