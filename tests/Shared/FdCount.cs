using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace QapiGen.Tests.Shared;

/// <summary>Open fds of this process, from /proc/self/fd.</summary>
public static class FdCount
{
    public static int Now() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>What each open fd is (for the message of a failed count).</summary>
    public static Dictionary<string, string> Snapshot() => Directory.GetFiles("/proc/self/fd").ToDictionary(f => Path.GetFileName(f), f =>
    {
        try
        {
            return new FileInfo(f).LinkTarget ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    });

    /// <summary>
    /// Asserts no fd was opened since <paramref name="before"/>, naming the new ones if any. Assemblies
    /// and symbol files do not count: the runtime opens them on first use (the first socket, the first
    /// stack trace) and keeps them for the life of the process.
    /// </summary>
    public static void AssertNoneOpenedSince(Dictionary<string, string> before)
    {
        Dictionary<string, string> now = Snapshot();
        var opened = now.Where(kv => !IsLoadedCode(kv.Value) && (!before.TryGetValue(kv.Key, out string? target) || target != kv.Value))
            .Select(kv => kv.Key + " -> " + kv.Value).ToList();
        Assert.True(opened.Count == 0, $"{before.Count} fds before, {now.Count} after; new: {string.Join(", ", opened)}");
    }

    private static bool IsLoadedCode(string target) => target.EndsWith(".dll") || target.EndsWith(".pdb") || target.EndsWith(".so");
}

/// <summary>Tests that count process-wide fds run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FdCountingCollection
{
    public const string Name = "fd counting";
}
