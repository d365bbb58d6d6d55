using System;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using EngineStats = QapiGen.Migration.Control.MigrationStats;
using EngineStatus = QapiGen.Migration.Control.MigrationStatus;
using QapiStats = QapiGen.Host.Qapi.MigrationStats;

namespace QapiGen.Host.Migration;

/// <summary>
/// query-migrate's answer, member by member as QEMU fills it for each status: nothing at all
/// before the first migration (<c>{}</c>), the status alone in setup, times and RAM counters while
/// active and once completed, the status and <c>error-desc</c> after a failure. A destination
/// reports its times but no RAM counters: QEMU gives it the status alone, and the engine counts
/// received bytes but not received pages, so a <c>ram</c> member there would be mostly zeros.
/// </summary>
internal static class MigrationInfoBuilder
{
    public static MigrationInfo Build(TrackedMigration? migration)
    {
        MigrationInfo info = new();
        if (migration is null)
        {
            return info;
        }

        EngineStats stats = migration.Job.GetStats();
        if (stats.Status == EngineStatus.None)
        {
            return info;
        }
        info.Status = MigrationStatusConversion.ToQapi(stats.Status);
        info.SocketAddress = migration.Prepared.Listening;
        switch (stats.Status)
        {
            case EngineStatus.Active or EngineStatus.Cancelling or EngineStatus.Completed:
                info.SetupTime = stats.SetupTimeMs;
                info.TotalTime = stats.TotalTimeMs;
                if (stats.Status == EngineStatus.Completed)
                {
                    info.Downtime = stats.DowntimeMs;
                }
                if (migration.Direction == MigrationDirection.Outgoing)
                {
                    info.Ram = Ram(stats, migration.Job.Options.Capabilities.Multifd);
                }
                break;
            case EngineStatus.Failed:
                info.ErrorDesc = stats.ErrorDescription;
                break;
        }
        return info;
    }

    private static QapiStats Ram(EngineStats stats, bool multifd)
    {
        double activeSeconds = Math.Max(1, stats.TotalTimeMs - stats.SetupTimeMs) / 1000.0;
        return new QapiStats
        {
            Transferred = stats.Transferred,
            Remaining = stats.Status == EngineStatus.Completed ? 0 : stats.Remaining,
            Total = stats.Total,
            Duplicate = stats.Duplicate,
            Normal = stats.Normal,
            NormalBytes = stats.NormalBytes,
            DirtyPagesRate = 0,
            Mbps = stats.Mbps,
            DirtySyncCount = stats.DirtySyncCount,
            PostcopyRequests = 0,
            PageSize = GuestRam.PageSize,
            // With multifd every RAM byte travels on a multifd channel; the main channel's header
            // and device sections are a few hundred bytes, not worth a counter of their own.
            MultifdBytes = multifd ? (ulong)stats.Transferred : 0,
            PagesPerSecond = (ulong)(stats.Normal / activeSeconds),
            PrecopyBytes = 0,
            DowntimeBytes = 0,
            PostcopyBytes = 0,
        };
    }
}
