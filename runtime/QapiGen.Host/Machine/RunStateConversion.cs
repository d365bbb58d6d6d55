using System;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Machine;
using EngineRunState = QapiGen.Migration.Machine.RunState;
using QapiRunState = QapiGen.Host.Qapi.RunState;

namespace QapiGen.Host.Machine;

/// <summary>
/// The engine's run state and the schema's are the same QEMU enum seen from two assemblies; they
/// are matched by wire name (not by position) so that reordering either one cannot silently map
/// <c>paused</c> to something else.
/// </summary>
public static class RunStateConversion
{
    private static readonly QapiRunState[] ToQapiTable = BuildTable();

    public static QapiRunState ToQapi(EngineRunState state) => ToQapiTable[(int)state];

    public static EngineRunState ToEngine(QapiRunState state) => RunStateNames.Parse(QapiJson.ToWire(state));

    private static QapiRunState[] BuildTable()
    {
        EngineRunState[] values = Enum.GetValues<EngineRunState>();
        QapiRunState[] table = new QapiRunState[values.Length];
        foreach (EngineRunState value in values)
        {
            string wire = value.ToWireName();
            if (!QapiJson.TryParse(wire, out QapiRunState mapped))
            {
                throw new InvalidOperationException($"Run state '{wire}' of the migration engine is missing from schema/run-state.json");
            }
            table[(int)value] = mapped;
        }
        return table;
    }
}
