using System.Collections.Generic;

namespace QapiGen.Host.Fds;

/// <summary>
/// An fdset (<c>/dev/fdset/N</c>): fds that should all refer to the same file with different
/// access modes, in the order they were added. Guarded by the registry's lock.
/// </summary>
internal sealed class FdSet
{
    public FdSet(long id)
    {
        Id = id;
    }

    public long Id { get; }

    public List<FdSetEntry> Entries { get; } = new();

    /// <summary>An fdset with no fd left (every one removed and closed) is freed.</summary>
    public bool IsEmpty => Entries.Count == 0;
}
