namespace QapiGen.Migration.Validation;

/// <summary>
/// Tunables (QMP <c>migrate-set-parameters</c>), with QEMU's wire names in the docs.
/// </summary>
public sealed record MigrationParameters
{
    /// <summary><c>multifd-channels</c>: parallel RAM channels when multifd is on (QEMU default 2).</summary>
    public int MultifdChannels { get; init; } = 2;

    /// <summary><c>max-bandwidth</c>: bytes per second, 0 for unlimited.</summary>
    public long MaxBandwidth { get; init; }

    /// <summary>
    /// <c>direct-io</c>: O_DIRECT for mapped-ram page I/O, bypassing the page cache.
    /// Needs mapped-ram and a file opened by path.
    /// </summary>
    public bool DirectIo { get; init; }

    /// <summary><c>downtime-limit</c> in ms: iterate while the remaining dirty RAM would take longer.</summary>
    public long DowntimeLimitMs { get; init; } = 300;

    /// <summary>Defaults as in QEMU, except unlimited bandwidth.</summary>
    public static MigrationParameters Default { get; } = new();
}
