using System;
using System.Buffers;
using System.Text;
using System.Text.Json;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// Member names and enum values are looked up in the generated name tables (<c>QapiNames.Find</c>), which compares
/// plain names as bytes and leaves escaped names and names split across buffers to the reader's own comparison:
/// both kinds must still be found, by the strict readers and the readers of output alike.
/// </summary>
public sealed class NameMatchingTests
{
    private const string Plain = """{"name":"w","id":7,"size":4096,"color":"green","tags":["a","b"],"nested":{"label":"n","count":1}}""";

    // The same object with names and an enum value escaped (\u0065 is 'e').
    private const string Escaped = """{"nam\u0065":"w","id":7,"siz\u0065":4096,"color":"gr\u0065\u0065n","tags":["a","b"],"n\u0065sted":{"label":"n","count":1}}""";

    [Fact]
    public void EscapedNamesAndEnumValuesAreFound()
    {
        Widget expected = J.In(Plain, QapiJson.ReadWidget);
        Assert.Equal(Color.Green, expected.Color);
        Assert.Equal(expected, J.In(Escaped, QapiJson.ReadWidget));
        Assert.Equal(expected, J.In(Escaped, QapiJson.ReadOutputWidget));
    }

    [Fact]
    public void NamesSplitAcrossBuffersAreFound()
    {
        Widget expected = J.In(Plain, QapiJson.ReadWidget);
        Assert.Equal(expected, ReadSplit(Plain, QapiJson.ReadWidget));
        Assert.Equal(expected, ReadSplit(Plain, QapiJson.ReadOutputWidget));
        Assert.Equal(expected, ReadSplit(Escaped, QapiJson.ReadOutputWidget));
    }

    [Fact]
    public void AnEscapedUnknownNameIsStillUnknown()
    {
        // "nam\u0066" is "namf": no member, so the strict reader reports it by its unescaped name.
        string json = """{"name":"w","id":7,"nam\u0066":1}""";
        Assert.Equal("Parameter 'namf' is unexpected", J.Error(json, QapiJson.ReadWidget));
    }

    /// <summary>Reads <paramref name="json"/> from one buffer per byte, so every token spans buffers.</summary>
    private static T ReadSplit<T>(string json, QapiReadFunc<T> read)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        Segment last = first;
        for (int i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }
        var reader = new Utf8JsonReader(new ReadOnlySequence<byte>(first, 0, last, 1));
        reader.Read();
        return read(ref reader, QapiPath.Root);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
