using System.Runtime.Versioning;
using Xunit;

// fd-leak checks count /proc/self/fd, which only means something when no other
// test opens fds at the same time; the suite is small enough to run serially.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: SupportedOSPlatform("linux")]
