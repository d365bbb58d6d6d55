using System;
using QapiGen.CodeGen;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// An emitter's text between its header and footer is copied out once: the texts of QEMU's schema
/// are megabytes, and header + text + footer as a concatenation copied them twice.
/// </summary>
public sealed class SourceWriterTests
{
    private static SourceWriter Large()
    {
        var w = new SourceWriter { Indent = 1 };
        for (int i = 0; i < 40_000; i++)
        {
            w.Open($"public sealed class C{i}").Line("public int Value { get; init; }").Close();
        }
        return w;
    }

    [Fact]
    public void TheWrappedTextIsHeaderTextAndFooter()
    {
        const string Header = "// header\nnamespace N\n{\n", Footer = "}\n";
        string expected = Header + Large() + Footer;
        Assert.Equal(expected, Large().ToString(Header, Footer));
        Assert.Equal("h\n    x\nf", new SourceWriter { Indent = 1 }.Line("x").ToString("h\n", "f"));
    }

    [Fact]
    public void TheWrappedTextIsCopiedOnce()
    {
        SourceWriter w = Large();
        int chars = w.ToString().Length;
        long before = GC.GetAllocatedBytesForCurrentThread();
        string text = w.ToString("// header\n", "}\n");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(chars > 1_000_000);
        // One string of two bytes per character, and a little for the header's chunk.
        Assert.True(allocated < text.Length * 2L + 64 * 1024, $"{allocated} bytes allocated for {text.Length} characters");
    }
}
