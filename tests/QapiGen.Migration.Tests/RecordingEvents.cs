using System.Collections.Generic;
using QapiGen.Migration.Control;

namespace QapiGen.Migration.Tests;

/// <summary>Collects MIGRATION / MIGRATION_PASS calls as their wire values.</summary>
internal sealed class RecordingEvents : IMigrationEvents
{
    private readonly object _gate = new();

    public List<string> Statuses { get; } = new();

    public List<long> Passes { get; } = new();

    public void OnStatusChanged(MigrationJob job, MigrationStatus status)
    {
        lock (_gate)
        {
            Statuses.Add(status.ToWireName());
        }
    }

    public void OnPass(MigrationJob job, long pass)
    {
        lock (_gate)
        {
            Passes.Add(pass);
        }
    }
}
