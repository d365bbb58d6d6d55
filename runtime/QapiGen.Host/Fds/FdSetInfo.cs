using System.Collections.Generic;

namespace QapiGen.Host.Fds;

/// <summary>A snapshot of one fdset for query-fdsets: only fds not marked for removal.</summary>
public sealed record FdSetInfo(long FdSetId, IReadOnlyList<FdSetFdInfo> Fds);

/// <summary>One fd of an fdset snapshot.</summary>
public sealed record FdSetFdInfo(int Fd, string? Opaque);
