using System;
using System.IO;
using System.Linq;
using System.Text;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// How the disk's schema files are read: decoded as <c>File.ReadAllText</c> decodes them (strict
/// UTF-8, byte order marks honoured), with one buffer of the file's size and one string, since the
/// text is much of what a schema load allocates and a short-lived <c>qapigen</c> pays for every fresh page.
/// </summary>
public sealed class SchemaFileReadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-read-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Non-ASCII in a comment, where the language allows it.</summary>
    private const string Definition = "# grün\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n";

    [Fact]
    public void Utf8WithAndWithoutAByteOrderMarkReadsAsFileReadAllTextReadsIt()
    {
        string plain = WriteBytes("plain.json", Encoding.UTF8.GetBytes(Definition));
        string bom = WriteBytes("bom.json", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Definition)]);
        foreach (string? path in new[] { plain, bom })
        {
            Assert.Equal(File.ReadAllText(path), SchemaFileSystem.Disk.ReadAllText(path));
            Assert.Equal(Definition, SchemaFileSystem.Disk.ReadAllText(path));
        }
        Assert.NotNull(QapiSchema.Load(bom).LookupType("Colour"));
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public void OtherByteOrderMarksAreHonoured(string encoding)
    {
        var e = Encoding.GetEncoding(encoding);
        string path = WriteBytes("wide.json", [.. e.GetPreamble(), .. e.GetBytes(Definition)]);
        Assert.Equal(Definition, SchemaFileSystem.Disk.ReadAllText(path));
    }

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        string path = WriteBytes("bad.json", [.. Encoding.UTF8.GetBytes("{ 'enum': 'A"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("', 'data': [] }\n")]);
        IOException e = Assert.Throws<IOException>(() => SchemaFileSystem.Disk.ReadAllText(path));
        Assert.StartsWith("invalid UTF-8: ", e.Message);
    }

    [Fact]
    public void AnEmptyFileReadsAsEmpty()
        => Assert.Equal("", SchemaFileSystem.Disk.ReadAllText(WriteBytes("empty.json", [])));

    [Fact]
    public void ReadingAFileAllocatesItsBytesAndItsTextAboutOnce()
    {
        // 1 MiB of ASCII: the bytes (1 MiB) and the string (2 MiB) are the floor; chunked reading
        // into a growing stream and a StringBuilder took more than twice that.
        var text = new StringBuilder();
        while (text.Length < 1024 * 1024)
        {
            text.Append(Definition.Replace("grün", "green"));
        }

        string path = WriteBytes("big.json", Encoding.UTF8.GetBytes(text.ToString()));
        long size = new FileInfo(path).Length;
        SchemaFileSystem.Disk.ReadAllText(path);
        long before = GC.GetAllocatedBytesForCurrentThread();
        string read = SchemaFileSystem.Disk.ReadAllText(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(text.ToString(), read);
        Assert.True(allocated < size * 3 + 64 * 1024, $"reading {size} bytes allocated {allocated} bytes");
    }

    [Fact]
    public void AThreadsNextFileReusesTheReadBuffer()
    {
        // A schema and its includes are read one after another: after the first file, a file no
        // larger than the largest so far allocates its text alone (two bytes per ASCII character),
        // not its bytes again.
        string Ascii(int size) => string.Concat(Enumerable.Repeat(Definition.Replace("grün", "green"), size / Definition.Length));
        string large = WriteBytes("large.json", Encoding.UTF8.GetBytes(Ascii(300 * 1024)));
        string small = WriteBytes("small.json", Encoding.UTF8.GetBytes(Ascii(200 * 1024)));
        long size = new FileInfo(small).Length;
        SchemaFileSystem.Disk.ReadAllText(large);
        long before = GC.GetAllocatedBytesForCurrentThread();
        string read = SchemaFileSystem.Disk.ReadAllText(small);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(File.ReadAllText(small), read);
        Assert.True(allocated < size * 2 + size / 4, $"reading {size} bytes allocated {allocated} bytes");
    }
}
