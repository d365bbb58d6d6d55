using System.IO;
using Microsoft.Win32.SafeHandles;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Host.Tests.Support;

/// <summary>Fds for passing, and the leak check on the process-wide fd count (<see cref="FdCount"/>).</summary>
internal static class FdTools
{
    public static bool IsOpen(long fd) => File.Exists($"/proc/self/fd/{fd}");

    /// <summary>Fds of this process open on <paramref name="path"/>: exact, whatever else the process opens meanwhile.</summary>
    public static int OpenOn(string path)
    {
        int count = 0;
        foreach (string entry in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(entry).LinkTarget == path)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // closed while listing
            }
        }
        return count;
    }

    /// <summary>/dev/null opened with <paramref name="access"/> (O_RDONLY / O_WRONLY / O_RDWR).</summary>
    public static SafeFileHandle DevNull(FileAccess access) =>
        File.OpenHandle("/dev/null", FileMode.Open, access);

    /// <summary>Fd counts wobble while the runtime warms up (thread pool, epoll); retry a little before failing.</summary>
    public static void AssertNoLeak(int before, int slack = 2)
    {
        int after = FdCount.Now();
        for (int i = 0; i < 50 && after > before + slack; i++)
        {
            System.Threading.Thread.Sleep(20);
            after = FdCount.Now();
        }
        Assert.True(after <= before + slack, $"fds leaked: {before} before, {after} after");
    }
}
