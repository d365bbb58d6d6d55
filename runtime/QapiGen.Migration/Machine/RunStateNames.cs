using System;
using System.Collections.Generic;

namespace QapiGen.Migration.Machine;

/// <summary>Wire names of <see cref="RunState"/>, exactly as QEMU spells them.</summary>
public static class RunStateNames
{
    private static readonly string[] Names =
    [
        "debug", "inmigrate", "internal-error", "io-error", "paused", "postmigrate", "prelaunch",
        "finish-migrate", "restore-vm", "running", "save-vm", "shutdown", "suspended", "watchdog",
        "guest-panicked", "colo",
    ];

    private static readonly Dictionary<string, RunState> ByName = BuildIndex();

    /// <summary>The wire name, e.g. <c>finish-migrate</c>.</summary>
    public static string ToWireName(this RunState state) => Names[(int)state];

    /// <summary>Parses a wire name; unknown names are an error, never a default.</summary>
    public static RunState Parse(string name) =>
        ByName.TryGetValue(name, out RunState state) ? state : throw new FormatException($"Unknown run state '{name}'");

    /// <summary>Whether the guest counts as running (<c>query-status</c>'s <c>running</c> member).</summary>
    public static bool IsRunning(this RunState state) => state == RunState.Running;

    private static Dictionary<string, RunState> BuildIndex()
    {
        var index = new Dictionary<string, RunState>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++)
        {
            index[Names[i]] = (RunState)i;
        }

        return index;
    }
}
