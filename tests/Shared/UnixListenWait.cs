using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace QapiGen.Tests.Shared;

/// <summary>
/// Waits until a process listens on a unix socket path. A socket file exists from bind(), a moment
/// before listen(): a client that connects in between is refused. Waiting for the file alone is
/// therefore a race on a loaded machine. The kernel's table of unix sockets (/proc/net/unix) shows
/// the listening state without connecting, so QEMU's single monitor connection is left untouched.
/// </summary>
internal static class UnixListenWait
{
    // __SO_ACCEPTCON in the Flags column: the socket is listening.
    private const int AcceptConnections = 0x10000;

    public static async Task WaitAsync(string path, Process owner, TimeSpan timeout)
    {
        string full = Path.GetFullPath(path);
        Stopwatch elapsed = Stopwatch.StartNew();
        while (!IsListening(full))
        {
            if (owner.HasExited)
            {
                throw new InvalidOperationException($"{owner.StartInfo.FileName} exited ({owner.ExitCode}) before listening on {full}");
            }
            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"nothing listened on {full} within {timeout.TotalSeconds} s");
            }
            await Task.Delay(25);
        }
    }

    public static bool IsListening(string fullPath)
    {
        foreach (string line in File.ReadLines("/proc/net/unix").Skip(1))
        {
            // Num RefCount Protocol Flags Type St Inode Path
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 8 && fields[7] == fullPath
                && int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int flags)
                && (flags & AcceptConnections) != 0)
            {
                return true;
            }
        }
        return false;
    }
}
