using System;
using System.Buffers;
using System.Text.Json;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// The generated writers allocate nothing of their own: member names are pre-encoded, enum values come from
/// their table, and a list is written by index (an enumerator of an <c>IReadOnlyList</c> would be an
/// allocation per list written).
/// </summary>
public class WriterAllocationTests
{
    [Fact]
    public void WritingAStructWithListsEnumsAndANestedStructAllocatesNothing()
    {
        var widget = new Widget
        {
            Name = "w", Id = 7, Size = 4096, Color = Color.Green, Tags = ["a", "b", "c"],
            Nested = new Thing { Label = "n", Count = 1 },
        };
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer);
        void WriteOnce()
        {
            buffer.ResetWrittenCount();
            writer.Reset();
            QapiJson.Write(writer, widget);
            writer.Flush();
        }

        WriteOnce(); // the first call initialises the name tables
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            WriteOnce();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal("""{"name":"w","id":7,"size":4096,"color":"green","tags":["a","b","c"],"nested":{"label":"n","count":1}}""",
            System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
