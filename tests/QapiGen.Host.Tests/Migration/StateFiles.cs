using System;
using System.IO;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// Where tests write migration files: tmpfs (/dev/shm) when there is one. The development VM's
/// ext4 is mounted with "discard", and unlinking a 32 MiB mapped-ram file, whose zero pages are
/// holes, issues one discard per extent: 1.5 s per file, more than the migration itself. The
/// engine's own tests cover files on a disk file system; these cover the host's handling of them.
/// </summary>
internal static class StateFiles
{
    private static readonly Lazy<string> Root = new(Create);

    /// <summary>A fresh path (nothing there yet) named after <paramref name="hint"/>.</summary>
    public static string NewPath(string hint) => Path.Combine(Root.Value, $"{hint}-{Guid.NewGuid():N}.state");

    private static string Create()
    {
        string parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string root = Path.Combine(parent, $"qapigen-host-tests-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        return root;
    }
}
