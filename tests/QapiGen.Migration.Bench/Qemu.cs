using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace QapiGen.Bench;

/// <summary>
/// The same measurement against QEMU, when <c>qemu-system-x86_64</c> is installed
/// (Debian: <c>apt-get install qemu-system-x86</c>): a RAM-only machine
/// (<c>-M none</c>), stopped (<c>-S</c>), migrated with <c>migrate "exec:cat &gt; FILE"</c>
/// over QMP. Random RAM is a private mapping of the random source file
/// (<c>memory-backend-file,share=off</c>), read in as QEMU scans it.
/// </summary>
internal static class Qemu
{
    public const string Binary = "qemu-system-x86_64";

    public static bool Available()
    {
        try
        {
            using Process p = Process.Start(new ProcessStartInfo(Binary, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>The command line used, for the report.</summary>
    public static string CommandLine(string sizeText, string? randomFile, string qmp) =>
        randomFile is null
            ? $"{Binary} -M none -m {sizeText} -S -nodefaults -display none -qmp unix:{qmp},server=on,wait=off"
            : $"{Binary} -object memory-backend-file,id=ram0,size={sizeText},mem-path={randomFile},share=off -M none,memory-backend=ram0 -m {sizeText} -S -nodefaults -display none -qmp unix:{qmp},server=on,wait=off";

    /// <summary>Runs one migration; returns QEMU's own total-time in seconds.</summary>
    public static double Migrate(string sizeText, string? randomFile, string target, long maxBandwidth)
    {
        string qmp = Path.Combine(Path.GetTempPath(), $"qapigen-bench-qemu-{Environment.ProcessId}.qmp");
        Bench.Delete(qmp);
        string commandLine = CommandLine(sizeText, randomFile, qmp);
        using Process qemu = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec " + commandLine]) { UseShellExecute = false })!;
        try
        {
            using Socket socket = Connect(qmp);
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            reader.ReadLine(); // greeting
            Execute(stream, reader, "{\"execute\":\"qmp_capabilities\"}");
            if (maxBandwidth > 0)
            {
                Execute(stream, reader, $"{{\"execute\":\"migrate-set-parameters\",\"arguments\":{{\"max-bandwidth\":{maxBandwidth}}}}}");
            }

            Execute(stream, reader, $"{{\"execute\":\"migrate\",\"arguments\":{{\"uri\":\"exec:cat > {target}\"}}}}");
            while (true)
            {
                JsonElement info = Execute(stream, reader, "{\"execute\":\"query-migrate\"}");
                string status = info.GetProperty("status").GetString()!;
                if (status == "completed")
                {
                    return info.GetProperty("total-time").GetInt64() / 1000.0;
                }

                if (status is "failed" or "cancelled")
                {
                    throw new InvalidOperationException($"QEMU migration {status}: {info}");
                }

                Thread.Sleep(5);
            }
        }
        finally
        {
            qemu.Kill();
            qemu.WaitForExit();
            Bench.Delete(qmp);
        }
    }

    private static Socket Connect(string path)
    {
        for (int i = 0; ; i++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                return socket;
            }
            catch (SocketException) when (i < 500)
            {
                socket.Dispose();
                Thread.Sleep(10);
            }
        }
    }

    private static JsonElement Execute(NetworkStream stream, StreamReader reader, string command)
    {
        stream.Write(Encoding.UTF8.GetBytes(command + "\n"));
        while (true)
        {
            string line = reader.ReadLine() ?? throw new EndOfStreamException("QEMU closed QMP");
            using JsonDocument reply = JsonDocument.Parse(line);
            if (reply.RootElement.TryGetProperty("return", out JsonElement value))
            {
                return value.Clone();
            }

            if (reply.RootElement.TryGetProperty("error", out JsonElement error))
            {
                throw new InvalidOperationException($"QEMU: {error}");
            }

            // An event: keep reading.
        }
    }
}
