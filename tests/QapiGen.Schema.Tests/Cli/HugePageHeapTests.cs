using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using QapiGen.Cli;
using QapiGen.Schema.Tests.Robustness;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// <c>qapigen</c> backs its young heap with huge pages where the kernel has them: the memory a run
/// allocates then costs a page fault per huge page, not one per 4 KiB; only the GC's own reservation
/// is changed.
/// </summary>
public sealed class HugePageHeapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-huge-pages-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>What is prepared is the first generation's budget the native executable is built with.</summary>
    [Fact]
    public void ThePreparedLengthIsTheNativeExecutablesFirstGeneration()
    {
        string project = File.ReadAllText(Path.Combine(RepoPaths.Root, "generator", "QapiGen.Cli", "QapiGen.Cli.csproj"));
        Match gen0 = Regex.Match(project, "--runtimeopt:GCgen0size=([0-9A-Fa-f]+)");
        Assert.True(gen0.Success, "QapiGen.Cli.csproj names no GCgen0size");
        Assert.Equal(Program.YoungGenerationBytes, long.Parse(gen0.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("7f3d7f400000-7f3d83400000 rw-p 00000000 00:00 0 ", true)]
    [InlineData("7f3d7f400000-7f3d83400000 ---p 00000000 00:00 0", true)]
    [InlineData("7ffc1a2b3000-7ffc1a2d4000 rw-p 00000000 00:00 0                          [stack]", false)]
    [InlineData("7f3d7f400000-7f3d7f600000 rw-p 00000000 00:00 0                          [heap]", false)]
    [InlineData("00400000-00c00000 r-xp 00000000 fd:01 1234                       /usr/bin/qapigen", false)]
    [InlineData("7f3d7f400000-7f3d83400000 rw-p 00000000 fd:01 1234                       /tmp/data", false)]
    [InlineData("7f3d7f400000-7f3d83400000 rw-s 00000000 00:01 77                         /memfd:ram (deleted)", false)]
    [InlineData("7f3d7f400000-7f3d83400000 r--p 00000000 00:00 0", false)]
    [InlineData("7f3d7f400000-7f3d83400000 rwxp 00000000 00:00 0", false)]
    public void OnlyPrivateAnonymousMemoryThatIsInaccessibleOrReadWriteIsHeapLike(string line, bool heapLike)
    {
        Assert.True(HugePageHeap.TryParseMapping(Encoding.ASCII.GetBytes(line), out long from, out long to, out bool isHeapLike));
        Assert.Equal((heapLike, true), (isHeapLike, from < to));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7f3d7f400000 rw-p 00000000 00:00 0")]
    [InlineData("7f3d7f4000zz-7f3d83400000 rw-p 00000000 00:00 0")]
    [InlineData("7f3d7f400000-7f3d83400000 rw-p")]
    public void ALineThatIsNoMappingIsRefused(string line) =>
        Assert.False(HugePageHeap.TryParseMapping(Encoding.ASCII.GetBytes(line), out _, out _, out _));

    [LinuxFact]
    public void TheRunOfHeapMemoryHoldingAnObjectEndsAfterItAndUnmappedMemoryHasNone()
    {
        byte[] probe = new byte[64];
        long address = AddressOf(probe);
        Assert.True(HugePageHeap.ReservationEnd(address) > address);
        // The lowest addresses are never mapped (vm.mmap_min_addr).
        Assert.Equal(0, HugePageHeap.ReservationEnd(0x1000));
    }

    /// <summary>
    /// The whole effect, in the tool as users run it: a check that allocates megabytes takes fewer page
    /// faults by at least half of its allocation in 4 KiB pages; <c>QAPIGEN_HUGE_PAGES=0</c> turns it off.
    /// Where the kernel has no transparent huge pages the tool says so and prepares nothing.
    /// </summary>
    [LinuxFact]
    public async Task ACheckOnHugePagesTakesFewerPageFaultsThanItsAllocationInSmallPages()
    {
        string schema = Path.Combine(_dir, "wide.json");
        var text = new StringBuilder();
        for (int i = 0; i < 6000; i++)
        {
            string previous = i == 0 ? "int" : "Struct" + (i - 1).ToString(CultureInfo.InvariantCulture);
            text.Append($"{{ 'struct': 'Struct{i}', 'data': {{ 'a': 'int', 'b': 'str', '*c': '{previous}', 'd': ['int'], 'e': 'bool' }} }}\n");
        }
        File.WriteAllText(schema, text.ToString());

        (long faults, long allocatedKb, string hugePages) small = await CheckWith("0", schema);
        (long faults, long allocatedKb, string hugePages) huge = await CheckWith(null, schema);
        Assert.Equal("none", small.hugePages);
        if (!TransparentHugePagesAvailable())
        {
            Assert.Equal("none", huge.hugePages);
            return;
        }

        Assert.Equal("64 MiB", huge.hugePages);
        long smallPages = small.allocatedKb / 4;
        Assert.True(smallPages > 500, $"the check allocated only {small.allocatedKb} KB");
        Assert.True(small.faults - huge.faults >= smallPages / 2,
            $"{small.faults} page faults in small pages, {huge.faults} on huge pages, for {smallPages} pages allocated");
    }

    private static async Task<(long Faults, long AllocatedKb, string HugePages)> CheckWith(string? hugePages, string schema)
    {
        (int code, _, string err) = await QapigenProcess.RunWith(
            [("QAPIGEN_TIMINGS", "1"), ("QAPIGEN_HUGE_PAGES", hugePages)], "check", schema);
        Assert.Equal(0, code);
        Match main = Regex.Match(err, @"Main +wall +[0-9.]+ ms +([0-9,]+) KB allocated, .*; ([0-9]+) page faults; huge pages: (none|[0-9]+ MiB)\n");
        Assert.True(main.Success, err);
        return (long.Parse(main.Groups[2].Value, CultureInfo.InvariantCulture),
            long.Parse(main.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
            main.Groups[3].Value);
    }

    private static bool TransparentHugePagesAvailable()
    {
        const string enabled = "/sys/kernel/mm/transparent_hugepage/enabled";
        return File.Exists(enabled) && !File.ReadAllText(enabled).Contains("[never]", StringComparison.Ordinal);
    }

    private static long AddressOf(byte[] array)
    {
        GCHandle pinned = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            return pinned.AddrOfPinnedObject();
        }
        finally
        {
            pinned.Free();
        }
    }
}
