using System.IO;
using Xunit;

namespace QapiGen.GuestAgent.Tests.Support;

/// <summary>Open fds of this process, from /proc/self/fd.</summary>
public static class FdCount
{
    public static int Now() => Directory.GetFiles("/proc/self/fd").Length;
}

/// <summary>Tests that count process-wide fds run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FdCountingCollection
{
    public const string Name = "fd counting";
}
