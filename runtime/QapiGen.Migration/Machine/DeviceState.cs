using System;

namespace QapiGen.Migration.Machine;

/// <summary>
/// One device's migratable state: QEMU's savevm section, identified by name and
/// instance id, with a version the destination must understand.
/// </summary>
public sealed class DeviceState
{
    private byte[] _data;
    private readonly object _gate = new();

    /// <summary>Creates a section.</summary>
    /// <param name="name">Section name, e.g. <c>serial</c> or <c>timer</c>; at most 255 UTF-8 bytes.</param>
    /// <param name="instanceId">Instance of that device (0 for the first).</param>
    /// <param name="version">The highest section version this side writes and reads.</param>
    /// <param name="data">Initial state bytes.</param>
    public DeviceState(string name, uint instanceId, uint version, byte[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(data);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > 255)
        {
            throw new ArgumentException("Device section names are limited to 255 UTF-8 bytes", nameof(name));
        }

        Name = name;
        InstanceId = instanceId;
        Version = version;
        _data = data;
    }

    /// <summary>Section name.</summary>
    public string Name { get; }

    /// <summary>Instance id.</summary>
    public uint InstanceId { get; }

    /// <summary>Section version.</summary>
    public uint Version { get; }

    /// <summary>A copy of the current state.</summary>
    public byte[] Save()
    {
        lock (_gate)
        {
            return (byte[])_data.Clone();
        }
    }

    /// <summary>Replaces the state (the destination's load step).</summary>
    public void Load(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        lock (_gate)
        {
            _data = data;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}/{InstanceId} v{Version}";
}
