using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Fds;
using QapiGen.Host.Tests.Support;
using QapiGen.Runtime.Protocol;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>
/// The fdset lifetime rules, on the registry alone: a removed fd closes once no duplicate of it is
/// open, an empty set is freed, and nothing else (no disconnect, no run state) closes an fd.
/// </summary>
[Collection(FdCountingCollection.Name)]
public sealed class FdSetRegistryTests
{
    [Fact]
    public void AddPicksTheLowestFreeIdAndKeepsOpaque()
    {
        using FdSetRegistry registry = new();
        Assert.Equal(0, registry.Add(FdTools.DevNull(FileAccess.Read), null, null).FdSetId);
        Assert.Equal(7, registry.Add(FdTools.DevNull(FileAccess.Read), 7, "seven").FdSetId);
        Assert.Equal(1, registry.Add(FdTools.DevNull(FileAccess.Read), null, null).FdSetId);
        registry.Add(FdTools.DevNull(FileAccess.Write), 7, null);

        IReadOnlyList<FdSetInfo> sets = registry.Query();
        Assert.Equal([7L, 1L, 0L], sets.Select(s => s.FdSetId)); // QEMU's order: descending ids
        Assert.Equal("seven", sets[0].Fds[0].Opaque);
        Assert.Null(sets[0].Fds[1].Opaque);
        Assert.Equal(2, sets[0].Fds.Count); // fds in the order they were added
    }

    [Fact]
    public void NegativeIdIsRefusedWithQemusTextAndTheFdClosed()
    {
        using FdSetRegistry registry = new();
        SafeFileHandle fd = FdTools.DevNull(FileAccess.Read);
        QmpException ex = Assert.Throws<QmpException>(() => registry.Add(fd, -1, null));
        Assert.Equal("Parameter 'fdset-id' expects a non-negative value", ex.Description);
        Assert.True(fd.IsClosed);
    }

    [Fact]
    public void RemoveTextsMatchQemu()
    {
        using FdSetRegistry registry = new();
        FdSetRegistry.AddedFd added = registry.Add(FdTools.DevNull(FileAccess.Read), null, null);
        Assert.Equal("File descriptor named 'fdset-id:9' not found", Assert.Throws<QmpException>(() => registry.Remove(9, null)).Description);
        Assert.Equal("File descriptor named 'fdset-id:9, fd:3' not found", Assert.Throws<QmpException>(() => registry.Remove(9, 3)).Description);
        Assert.Equal("File descriptor named 'fdset-id:0, fd:-1' not found", Assert.Throws<QmpException>(() => registry.Remove(0, -1)).Description);
        registry.Remove(0, added.Fd);
    }

    [Fact]
    public void RemovedUnusedFdClosesAtOnceAndTheEmptySetIsFreed()
    {
        using FdSetRegistry registry = new();
        FdSetRegistry.AddedFd a = registry.Add(FdTools.DevNull(FileAccess.Read), 3, null);
        FdSetRegistry.AddedFd b = registry.Add(FdTools.DevNull(FileAccess.Write), 3, null);
        registry.Remove(3, a.Fd);
        Assert.False(FdTools.IsOpen(a.Fd));
        Assert.True(FdTools.IsOpen(b.Fd));
        Assert.Equal([b.Fd], registry.Query().Single().Fds.Select(f => (long)f.Fd));
        registry.Remove(3, null);
        Assert.False(FdTools.IsOpen(b.Fd));
        Assert.Empty(registry.Query());
        Assert.Equal(0, registry.HeldFdCount);
    }

    [Fact]
    public void OpenDuplicatesTheFirstFdWhoseAccessModeMatches()
    {
        using FdSetRegistry registry = new();
        FdSetRegistry.AddedFd ro = registry.Add(FdTools.DevNull(FileAccess.Read), 1, null);
        FdSetRegistry.AddedFd wo = registry.Add(FdTools.DevNull(FileAccess.Write), 1, null);
        FdSetRegistry.AddedFd rw = registry.Add(FdTools.DevNull(FileAccess.ReadWrite), 2, null);

        using (FdSetLease read = registry.Open("/dev/fdset/1", FileAccess.Read))
        using (FdSetLease write = registry.Open("/dev/fdset/1", FileAccess.Write))
        {
            Assert.Equal(ro.Fd, read.SourceFd);
            Assert.Equal(wo.Fd, write.SourceFd);
            Assert.NotEqual(ro.Fd, (int)read.Handle.DangerousGetHandle());
        }
        FdSetOpenException e = Assert.Throws<FdSetOpenException>(() => registry.Open("/dev/fdset/1", FileAccess.ReadWrite));
        Assert.Equal("Could not open '/dev/fdset/1': Permission denied", e.Message);

        // O_RDWR serves every access mode.
        using (FdSetLease r = registry.Open("/dev/fdset/2", FileAccess.Read))
        using (FdSetLease w = registry.Open("/dev/fdset/2", FileAccess.Write))
        using (FdSetLease rwLease = registry.Open("/dev/fdset/2", FileAccess.ReadWrite))
        {
            Assert.All(new[] { r, w, rwLease }, l => Assert.Equal(rw.Fd, l.SourceFd));
        }

        Assert.Equal("Could not open '/dev/fdset/9': No such file or directory", Assert.Throws<FdSetOpenException>(() => registry.Open("/dev/fdset/9", FileAccess.Read)).Message);
        Assert.Equal("Could not open '/dev/fdset/x': Invalid argument", Assert.Throws<FdSetOpenException>(() => registry.Open("/dev/fdset/x", FileAccess.Read)).Message);
    }

    [Fact]
    public void RemovedFdStaysOpenWhileADuplicateIsInUseAndIsNeverDuplicatedAgain()
    {
        using FdSetRegistry registry = new();
        FdSetRegistry.AddedFd added = registry.Add(FdTools.DevNull(FileAccess.ReadWrite), 5, null);
        FdSetLease lease = registry.Open("/dev/fdset/5", FileAccess.Write);
        int duplicate = (int)lease.Handle.DangerousGetHandle();

        registry.Remove(5, null);
        Assert.True(FdTools.IsOpen(added.Fd)); // still in use through the lease
        Assert.Empty(registry.Query().Single().Fds); // but no longer listed
        Assert.Throws<FdSetOpenException>(() => registry.Open("/dev/fdset/5", FileAccess.Write));

        lease.Dispose();
        Assert.False(FdTools.IsOpen(added.Fd));
        Assert.False(FdTools.IsOpen(duplicate));
        Assert.Empty(registry.Query()); // the emptied set is freed
        lease.Dispose(); // twice is harmless
    }

    [Fact]
    public void UnremovedFdsSurviveLeasesComingAndGoing()
    {
        using FdSetRegistry registry = new();
        FdSetRegistry.AddedFd added = registry.Add(FdTools.DevNull(FileAccess.Read), null, null);
        for (int i = 0; i < 10; i++)
        {
            registry.Open("/dev/fdset/0", FileAccess.Read).Dispose();
        }
        Assert.True(FdTools.IsOpen(added.Fd));
        Assert.Single(registry.Query());
    }

    [Fact]
    public void DisposeClosesEverything()
    {
        int before = FdCount.Now();
        FdSetRegistry registry = new();
        for (int i = 0; i < 20; i++)
        {
            registry.Add(FdTools.DevNull(FileAccess.Read), i % 3, null);
        }
        registry.Dispose();
        FdTools.AssertNoLeak(before, slack: 0);
    }
}
