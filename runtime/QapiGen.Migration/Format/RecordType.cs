namespace QapiGen.Migration.Format;

/// <summary>Kinds of records in a stream channel (and in the mapped-ram device area).</summary>
public enum RecordType : byte
{
    /// <summary>Up to 256 consecutive pages: a presence bitmap, then the non-zero pages.</summary>
    RamChunk = 1,
    /// <summary>One device section: name, instance id, version, state bytes.</summary>
    Device = 2,
    /// <summary>The last record of a channel, with counts the reader checks.</summary>
    End = 15,
}
