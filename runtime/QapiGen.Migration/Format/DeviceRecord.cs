using System;
using System.Buffers.Binary;
using System.Text;
using QapiGen.Migration.Machine;

namespace QapiGen.Migration.Format;

/// <summary>
/// Payload of a <see cref="RecordType.Device"/> record:
/// name length (1), name (UTF-8), instance id (4), version (4), data length (4), data.
/// </summary>
internal readonly record struct DeviceRecord(string Name, uint InstanceId, uint Version, byte[] Data)
{
    public int PayloadSize => 1 + Encoding.UTF8.GetByteCount(Name) + 12 + Data.Length;

    public void Encode(Span<byte> destination)
    {
        int nameLength = Encoding.UTF8.GetBytes(Name, destination[1..]);
        destination[0] = (byte)nameLength;
        Span<byte> rest = destination[(1 + nameLength)..];
        BinaryPrimitives.WriteUInt32LittleEndian(rest, InstanceId);
        BinaryPrimitives.WriteUInt32LittleEndian(rest[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(rest[8..], Data.Length);
        Data.CopyTo(rest[12..]);
    }

    public static DeviceRecord Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1 || payload.Length < 1 + payload[0] + 12)
        {
            throw Malformed("is too short");
        }

        string name = Encoding.UTF8.GetString(payload.Slice(1, payload[0]));
        ReadOnlySpan<byte> rest = payload[(1 + payload[0])..];
        uint instance = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(rest[8..]);
        if (length < 0 || length != rest.Length - 12)
        {
            throw Malformed($"'{name}' declares {length} bytes of state but carries {rest.Length - 12}");
        }

        return new DeviceRecord(name, instance, version, rest[12..].ToArray());
    }

    /// <summary>Loads the section into the matching device, with QEMU's checks.</summary>
    public void ApplyTo(MachineState machine)
    {
        DeviceState device = machine.FindDevice(Name, InstanceId)
            ?? throw new MigrationStreamException(MigrationStreamError.DeviceMismatch,
                $"Unknown savevm section or instance '{Name}' {InstanceId}");
        if (Version > device.Version)
        {
            throw new MigrationStreamException(MigrationStreamError.DeviceMismatch,
                $"savevm: unsupported version {Version} for '{Name}' v{device.Version}");
        }

        device.Load(Data);
    }

    private static MigrationStreamException Malformed(string what) =>
        new(MigrationStreamError.Malformed, $"Malformed device section record: {what}");
}
