namespace QapiGen.Migration.Format;

/// <summary>
/// Constants of the QapiGen migration formats. The layouts themselves are
/// described in <c>FORMAT.md</c> beside the project; every integer is
/// little-endian and every integrity check is CRC32C.
/// </summary>
public static class StreamFormat
{
    /// <summary>The format version this engine writes and the only one it reads.</summary>
    public const uint Version = 1;

    /// <summary>Magic at the start of every stream channel: ASCII "QGMIGSTR".</summary>
    public const ulong StreamMagic = 0x5254_5347_494D_4751UL; // "QGMIGSTR" read as little-endian

    /// <summary>Magic at the start of a mapped-ram file: ASCII "QGMIGMAP".</summary>
    public const ulong MappedRamMagic = 0x5041_4D47_494D_4751UL; // "QGMIGMAP"

    /// <summary>Size of the per-channel stream header.</summary>
    public const int ChannelHeaderSize = 64;

    /// <summary>Size of a record header: type (1), reserved (3), payload length (4).</summary>
    public const int RecordHeaderSize = 8;

    /// <summary>Size of a record trailer: CRC32C of header and payload.</summary>
    public const int RecordTrailerSize = 4;

    /// <summary>Pages per RAM chunk record and per mapped-ram checksum block (1 MiB).</summary>
    public const int ChunkPages = 256;

    /// <summary>Fixed part of a RAM chunk payload: first page (8), page count (4), present count (4).</summary>
    public const int RamChunkFixedSize = 16;

    /// <summary>No record payload is larger than this; a larger length means corruption.</summary>
    public const int MaxPayloadSize = 4 << 20;

    /// <summary>Size of the mapped-ram file header block.</summary>
    public const int MappedRamHeaderSize = 4096;

    /// <summary>Alignment of the mapped-ram page area (so O_DIRECT and huge pages line up).</summary>
    public const int MappedRamAlignment = 1 << 20;
}
