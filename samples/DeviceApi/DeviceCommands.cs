using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Samples.DeviceApi.Qapi;

namespace QapiGen.Samples.DeviceApi;

/// <summary>
/// The handlers: a few devices in memory, shared by every client (a singleton). Derived from the generated
/// <c>QapiCommandsBase</c>, whose overrides take one record of arguments: this class keeps compiling when the
/// schema gains a command or an optional argument.
/// </summary>
public sealed class DeviceCommands : QapiCommandsBase
{
    private readonly Dictionary<string, DeviceInfo> _devices = new()
    {
        ["fan0"] = new DeviceInfo { Id = "fan0", Kind = "fan", Power = DevicePower.On, Level = 60 },
        ["lamp0"] = new DeviceInfo { Id = "lamp0", Kind = "lamp", Power = DevicePower.Off, Level = 100 },
    };

    public override ValueTask<IReadOnlyList<DeviceInfo>> QueryDevicesAsync(QmpCommandContext context, QueryDevicesArguments arguments, CancellationToken cancellationToken)
    {
        lock (_devices)
        {
            return new(_devices.Values.OrderBy(d => d.Id).ToList());
        }
    }

    public override ValueTask<DeviceInfo> DeviceSetPowerAsync(QmpCommandContext context, DeviceSetPowerArguments arguments, CancellationToken cancellationToken)
    {
        (string id, DevicePower power) = (arguments.Id, arguments.Power);
        DeviceInfo before, after;
        lock (_devices) // clients are served at once: their commands may run concurrently
        {
            if (!_devices.TryGetValue(id, out before!))
            {
                throw new QmpException(QmpErrorClass.DeviceNotFound, $"Device '{id}' not found");
            }
            _devices[id] = after = before with { Power = power, Level = arguments.Level ?? before.Level };
        }
        if (after.Power != before.Power)
        {
            context.EmitDevicePowerChanged(id, power); // to every connected client
        }
        return new(after);
    }
}
