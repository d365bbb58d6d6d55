using System;
using System.Text;
using System.Text.Json;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// The readers build the text of a member's path only for an error: a list element's members never, a nested
/// object's once per object (not once per member). Measured as what a very long name of the outer value adds
/// to the bytes a read allocates: text built per element or per member would add a copy of it each time.
/// </summary>
public class ReaderPathAllocationTests
{
    private static readonly string LongName = new('x', 10_000); // 20 KB as a string

    private static long Allocated(byte[] json, string name, QapiReadFunc<object> read)
    {
        void ReadOnce()
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            read(ref reader, new QapiPath(null, name));
        }

        ReadOnce(); // the first call initialises the name tables
        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadOnce();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void TheMembersOfListElementsBuildNoPathText()
    {
        StringBuilder list = new("[");
        for (int i = 0; i < 100; i++)
        {
            list.Append(i == 0 ? "" : ",").Append("""{"label":"l","count":1}""");
        }
        byte[] json = Encoding.UTF8.GetBytes(list.Append(']').ToString());
        QapiReadFunc<object> read = static (ref Utf8JsonReader r, in QapiPath p) => QapiJson.ReadList<Thing>(ref r, p, QapiJson.ReadThing);

        long extra = Allocated(json, LongName, read) - Allocated(json, "t", read);
        // 100 elements of 2 members: a path text per element would be 2 MB more, per member 4 MB.
        Assert.True(extra < 4_000, $"a long list name cost {extra} bytes more");
    }

    [Fact]
    public void ANestedObjectBuildsItsPathTextOnceNotPerMember()
    {
        byte[] json = """{"name":"w","id":1,"nested":{"label":"l","count":1}}"""u8.ToArray();
        QapiReadFunc<object> read = static (ref Utf8JsonReader r, in QapiPath p) => QapiJson.ReadWidget(ref r, p);

        long extra = Allocated(json, LongName, read) - Allocated(json, "w", read);
        // "<name>.nested" once is 20 KB; once per member of the nested object (two) would be 40 KB.
        Assert.InRange(extra, 20_000, 30_000);
    }
}
