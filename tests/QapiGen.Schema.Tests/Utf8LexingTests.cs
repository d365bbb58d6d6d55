using System;
using System.IO;
using System.Text;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// The lexer reads a file's UTF-8 bytes, while the reference reads characters: whatever it does with a
/// character that is not ASCII (skip it as whitespace, show it in an error, count it as one column)
/// must come out the same.
/// </summary>
public sealed class Utf8LexingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-utf8-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string Error(string text)
        => Assert.ThrowsAny<QapiError>(() => QapiSchemaParser.Parse("main.json", new InMemorySchemaFileSystem().Add("main.json", text))).ToString();

    private string DiskError(string name, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(_dir, name), bytes);
        return Assert.ThrowsAny<QapiError>(() => QapiSchemaParser.Parse(name, new RootedFileSystem(_dir))).ToString();
    }

    [Theory]
    // A no-break space (two bytes) is whitespace, as Python's isspace() has it, and one column.
    [InlineData("{ 'a':\u00A0\u00A0nope }", "main.json:1:9: stray 'nope'")]
    [InlineData("\u3000\u3000{ 'a': nope }", "main.json:1:10: stray 'nope'")]
    // Stray text is shown whole, up to whitespace of any width.
    [InlineData("{ 'a': grün }", "main.json:1:8: stray 'grün'")]
    [InlineData("{ 'a': é\u00A0}", "main.json:1:8: stray 'é'")]
    [InlineData("{ 'a': \U0001F600x }", "main.json:1:8: stray '\U0001F600x'")]
    [InlineData("{ 'enum': 'a\\éb' }", "main.json:1:11: unknown escape \\é")]
    [InlineData("{ 'enum': 'a\\\U0001F600' }", "main.json:1:11: unknown escape \\\U0001F600")]
    [InlineData("{ 'a': 'grün' }", "main.json:1:8: funny character in string")]
    [InlineData("# grün\n{ 'a':\u00A0x }", "main.json:2:8: stray 'x'")]
    public void NonAsciiIsReadAsTheReferenceReadsCharacters(string text, string expected)
        => Assert.Equal(expected, Error(text));

    [Fact]
    public void AByteOrderMarkIsNotAColumn()
    {
        byte[] text = Encoding.UTF8.GetBytes("{ 'a': nope }\n");
        Assert.Equal("bom.json:1:8: stray 'nope'", DiskError("bom.json", [.. Encoding.UTF8.GetPreamble(), .. text]));
        Assert.Equal("plain.json:1:8: stray 'nope'", DiskError("plain.json", text));
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-32")]
    public void AFileInAnotherEncodingIsLexedAsItsUtf8(string encoding)
    {
        var e = Encoding.GetEncoding(encoding);
        string text = "##\n# @Colour:\n#\n# Grün\n##\n{ 'enum': 'Colour', 'data': [ 'red' ] }\n";
        File.WriteAllBytes(Path.Combine(_dir, "wide.json"), [.. e.GetPreamble(), .. e.GetBytes(text)]);
        QapiSchemaParser p = QapiSchemaParser.Parse("wide.json", new RootedFileSystem(_dir));
        Assert.Equal("Colour", p.Exprs[0].Expr["enum"]);
        Assert.Equal("Grün", Assert.Single(p.Docs).Body.Text);
        Assert.Equal("wide.json:1:8: stray 'nope'", DiskError("wide2.json", [.. e.GetPreamble(), .. e.GetBytes("{ 'a': nope }\n")]).Replace("wide2", "wide"));
    }

    [Fact]
    public void InvalidUtf8IsRefusedWhenLexed()
    {
        File.WriteAllBytes(Path.Combine(_dir, "bad.json"), [.. Encoding.UTF8.GetBytes("# a\n{ 'enum': 'A"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("', 'data': [] }\n")]);
        IOException e = Assert.Throws<IOException>(() => QapiSchemaParser.Parse("bad.json", new RootedFileSystem(_dir)));
        Assert.StartsWith("invalid UTF-8: ", e.Message);
    }
}
