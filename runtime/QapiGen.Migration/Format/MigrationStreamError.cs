namespace QapiGen.Migration.Format;

/// <summary>Why an incoming stream was rejected.</summary>
public enum MigrationStreamError
{
    /// <summary>The data does not start with a QapiGen migration header.</summary>
    BadMagic,
    /// <summary>The stream was written by an incompatible format version.</summary>
    VersionMismatch,
    /// <summary>The stream carries a different amount of RAM than this machine has.</summary>
    RamSizeMismatch,
    /// <summary>The stream uses a different page size.</summary>
    PageSizeMismatch,
    /// <summary>A checksum did not match: the data was corrupted.</summary>
    BadChecksum,
    /// <summary>The stream or file ended before the end marker.</summary>
    Truncated,
    /// <summary>A record is malformed (bad length, out-of-range page, unknown type).</summary>
    Malformed,
    /// <summary>A device section is unknown here or has a newer version than supported.</summary>
    DeviceMismatch,
    /// <summary>Multifd channels do not belong together or are missing.</summary>
    ChannelMismatch,
}
