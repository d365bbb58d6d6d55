using System;
using System.Globalization;
using System.IO;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// Where tests write migration files: tmpfs (/dev/shm) when there is one. The development VM's
/// ext4 is mounted with "discard", and unlinking a 32 MiB mapped-ram file, whose zero pages are
/// holes, issues one discard per extent: 1.5 s per file, more than the migration itself. The
/// engine's own tests cover files on a disk file system; these cover the host's handling of them.
/// </summary>
/// <remarks>
/// tmpfs is memory, so nothing may be left behind: each file is deleted by its test
/// (<see cref="StateFile"/>), the directory when the process exits, and directories of test runs
/// that died without cleaning up are swept when the next run starts.
/// </remarks>
internal static class StateFiles
{
    private const string Prefix = "qapigen-host-tests-";

    private static readonly Lazy<string> Root = new(Create);

    /// <summary>This run's directory.</summary>
    public static string Directory => Root.Value;

    /// <summary>A fresh path (nothing there yet) named after <paramref name="hint"/>.</summary>
    public static string NewPath(string hint) => Path.Combine(Root.Value, $"{hint}-{Guid.NewGuid():N}.state");

    private static string Create()
    {
        string parent = System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        SweepDeadRuns(parent);
        string root = Path.Combine(parent, Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(root);
        return root;
    }

    private static void SweepDeadRuns(string parent)
    {
        foreach (string dir in System.IO.Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            string pid = Path.GetFileName(dir)[Prefix.Length..];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _) && !System.IO.Directory.Exists("/proc/" + pid))
            {
                DeleteQuietly(dir);
            }
        }
    }

    private static void DeleteQuietly(string dir)
    {
        try
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A migration file path for one test, deleted with the test (<c>using StateFile file = new("vm");</c>).</summary>
internal sealed class StateFile : IDisposable
{
    public StateFile(string hint)
    {
        Path = StateFiles.NewPath(hint);
    }

    public string Path { get; }

    public static implicit operator string(StateFile file) => file.Path;

    public override string ToString() => Path;

    public void Dispose() => File.Delete(Path);
}
