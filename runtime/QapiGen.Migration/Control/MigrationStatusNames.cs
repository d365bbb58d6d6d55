using System;
using System.Collections.Generic;

namespace QapiGen.Migration.Control;

/// <summary>Wire names of <see cref="MigrationStatus"/>, as QEMU spells them.</summary>
public static class MigrationStatusNames
{
    private static readonly string[] Names =
    [
        "none", "setup", "cancelling", "cancelled", "active", "postcopy-active", "postcopy-paused",
        "postcopy-recover-setup", "postcopy-recover", "completed", "failed", "colo", "pre-switchover",
        "device", "wait-unplug",
    ];

    private static readonly Dictionary<string, MigrationStatus> ByName = BuildIndex();

    /// <summary>The wire name, e.g. <c>postcopy-active</c>.</summary>
    public static string ToWireName(this MigrationStatus status) => Names[(int)status];

    /// <summary>Parses a wire name; unknown names are an error.</summary>
    public static MigrationStatus Parse(string name) =>
        ByName.TryGetValue(name, out MigrationStatus status) ? status : throw new FormatException($"Unknown migration status '{name}'");

    /// <summary>Whether no further change will happen.</summary>
    public static bool IsTerminal(this MigrationStatus status) =>
        status is MigrationStatus.Completed or MigrationStatus.Failed or MigrationStatus.Cancelled;

    private static Dictionary<string, MigrationStatus> BuildIndex()
    {
        var index = new Dictionary<string, MigrationStatus>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++)
        {
            index[Names[i]] = (MigrationStatus)i;
        }

        return index;
    }
}
