using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Client;

namespace QapiGen.Bench;

/// <summary>
/// End to end through the product: two qapigen-host processes, the typed QMP client, a
/// migration over a unix socket. Timed from sending <c>migrate</c> to the source reporting
/// <c>completed</c> (its MIGRATION event), so QMP, process and socket costs are all in the
/// figure; the engine-only figures above leave them out.
/// </summary>
internal static class HostToHost
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>One timed migration; with <paramref name="verify"/>, the destination's RAM is compared with <paramref name="fill"/> afterwards.</summary>
    /// <param name="running">The source guest runs (pages are copied before they are checksummed and sent, since a
    /// running guest may change them); otherwise it is started with -S, as the engine figures and QEMU's are.</param>
    public static double Migrate(string sizeText, string fill, bool multifd, bool running, bool verify) =>
        MigrateAsync(sizeText, fill, multifd, running, verify).GetAwaiter().GetResult();

    private static async Task<double> MigrateAsync(string sizeText, string fill, bool multifd, bool running, bool verify)
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-bench-hosts-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string dump = Path.Combine(dir, "dump.bin");
        string socket = Path.Combine(dir, "mig.sock");
        using CancellationTokenSource cancel = new(Timeout);
        CancellationToken token = cancel.Token;
        Process? destination = null, source = null;
        try
        {
            destination = Start(dir, "dst", ["-m", sizeText, "-incoming", "defer", .. verify ? new[] { "--ram-dump-on-exit", dump } : []]);
            source = Start(dir, "src", ["-m", sizeText, "--ram-from", fill, .. running ? Array.Empty<string>() : ["-S"]]);
            await using QapiClient to = await ConnectAsync(Path.Combine(dir, "dst.sock"), destination, token);
            await using QapiClient from = await ConnectAsync(Path.Combine(dir, "src.sock"), source, token);
            // The source reports the end with a MIGRATION event: no polling load on 2 cores, no polling delay in the figure.
            List<MigrationCapabilityStatus> capabilities = [new MigrationCapabilityStatus { Capability = MigrationCapability.Events, State = true }];
            if (multifd)
            {
                capabilities.Add(new MigrationCapabilityStatus { Capability = MigrationCapability.Multifd, State = true });
                await to.MigrateSetCapabilitiesAsync(capabilities, cancellationToken: token);
            }
            await from.MigrateSetCapabilitiesAsync(capabilities, cancellationToken: token);
            await to.MigrateIncomingAsync("unix:" + socket, cancellationToken: token);

            Stopwatch clock = Stopwatch.StartNew();
            await from.MigrateAsync("unix:" + socket, cancellationToken: token);
            await foreach (QmpEvent received in from.ReadEventsAsync(token))
            {
                if (received.Name != "MIGRATION")
                {
                    continue;
                }
                string? status = received.Data.GetProperty("status").GetString();
                if (status == "completed")
                {
                    break;
                }
                if (status is "failed" or "cancelled")
                {
                    MigrationInfo info = await from.QueryMigrateAsync(cancellationToken: token);
                    throw new InvalidOperationException($"host-to-host migration {status}: {info.ErrorDesc}");
                }
            }
            double seconds = clock.Elapsed.TotalSeconds;

            if (verify)
            {
                // The destination writes its RAM out when it quits; it must equal what the source was filled with.
                while ((await to.QueryStatusAsync(cancellationToken: token)).Status == RunState.Inmigrate)
                {
                    await Task.Delay(1, token);
                }
                await to.QuitAsync(cancellationToken: token);
                await destination.WaitForExitAsync(token);
                CheckSameFiles(fill, dump);
            }
            return seconds;
        }
        finally
        {
            foreach (Process? process in new[] { source, destination })
            {
                if (process is not null)
                {
                    if (!process.HasExited)
                    {
                        process.Kill();
                    }
                    await process.WaitForExitAsync(CancellationToken.None);
                    process.Dispose();
                }
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process Start(string dir, string name, string[] args)
    {
        ProcessStartInfo info = new("dotnet") { WorkingDirectory = dir };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qapigen-host.dll"));
        info.ArgumentList.Add("-qmp");
        info.ArgumentList.Add($"unix:{Path.Combine(dir, name + ".sock")},server=on,wait=off");
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // The host logs its monitor address to stderr; the bench's own output stays readable.
        info.RedirectStandardError = true;
        Process process = Process.Start(info) ?? throw new InvalidOperationException("qapigen-host did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<QapiClient> ConnectAsync(string path, Process process, CancellationToken token)
    {
        while (!File.Exists(path))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"qapigen-host exited with {process.ExitCode} before serving {path}");
            }
            await Task.Delay(10, token);
        }
        // The socket file appears at bind(), a moment before listen(): until then connecting is refused.
        while (true)
        {
            try
            {
                return await QapiClient.ConnectAsync("unix:" + path, null, token);
            }
            catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused)
            {
                await Task.Delay(10, token);
            }
        }
    }

    private static void CheckSameFiles(string expected, string actual)
    {
        using FileStream a = File.OpenRead(expected);
        using FileStream b = File.OpenRead(actual);
        byte[] x = new byte[1 << 20], y = new byte[1 << 20];
        for (long offset = 0; offset < b.Length; offset += x.Length)
        {
            a.ReadExactly(x);
            b.ReadExactly(y);
            if (!x.AsSpan().SequenceEqual(y))
            {
                throw new InvalidOperationException($"the destination's RAM differs from {expected} in the MiB at {offset}");
            }
        }
    }
}
