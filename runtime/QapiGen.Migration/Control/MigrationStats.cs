namespace QapiGen.Migration.Control;

/// <summary>
/// A snapshot for <c>query-migrate</c>. Member docs give the QMP field
/// (<c>ram.*</c> members are in <c>MigrationStats</c> on the wire).
/// </summary>
public sealed record MigrationStats
{
    /// <summary><c>status</c></summary>
    public required MigrationStatus Status { get; init; }

    /// <summary><c>total-time</c> (ms), from start to now or to the end.</summary>
    public long TotalTimeMs { get; init; }

    /// <summary><c>setup-time</c> (ms): opening channels.</summary>
    public long SetupTimeMs { get; init; }

    /// <summary><c>downtime</c> (ms): how long the guest was stopped (outgoing, completed).</summary>
    public long? DowntimeMs { get; init; }

    /// <summary><c>ram.transferred</c>: bytes sent or received over all channels.</summary>
    public long Transferred { get; init; }

    /// <summary><c>ram.remaining</c>: bytes still to scan in the current pass.</summary>
    public long Remaining { get; init; }

    /// <summary><c>ram.total</c>: guest RAM size.</summary>
    public long Total { get; init; }

    /// <summary><c>ram.duplicate</c>: zero pages (not sent).</summary>
    public long Duplicate { get; init; }

    /// <summary><c>ram.normal</c>: pages sent with their data.</summary>
    public long Normal { get; init; }

    /// <summary><c>ram.normal-bytes</c></summary>
    public long NormalBytes { get; init; }

    /// <summary><c>ram.mbps</c>: megabits per second over the run so far.</summary>
    public double Mbps { get; init; }

    /// <summary><c>ram.dirty-sync-count</c>: RAM passes started.</summary>
    public long DirtySyncCount { get; init; }

    /// <summary><c>error-desc</c> when <see cref="Status"/> is failed.</summary>
    public string? ErrorDescription { get; init; }
}
