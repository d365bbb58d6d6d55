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

    [Fact]
    public void AnInterpolatedLineIsTheLineOfItsText()
    {
        string empty = "", name = "Value";
        int n = -3;
        var w = new SourceWriter { Indent = 2 };
        w.Line($"{empty}").Line($"int {name}{n} = {'c'}, {1.5:F2};").Open($"class {name}").Close(";");
        var expected = new SourceWriter { Indent = 2 };
        expected.Line("").Line("int Value" + n.ToString() + " = c, " + 1.5.ToString("F2") + ";").Open("class Value").Close(";");
        Assert.Equal(expected.ToString(), w.ToString());
    }

    [Fact]
    public void PrefixedLinesPrefixEachLineOrMarkAnEmptyOne()
    {
        var w = new SourceWriter { Indent = 1 };
        w.PrefixedLines("<summary>\n\nText\n</summary>", "/// ", "///");
        Assert.Equal("    /// <summary>\n    ///\n    /// Text\n    /// </summary>\n", w.ToString());
        Assert.Equal("x\n\n", new SourceWriter().PrefixedLines("x\n", "", "").ToString());
    }

    [Fact]
    public void AnInterpolatedLineAllocatesNothingButTheWritersText()
    {
        var w = new SourceWriter { Indent = 1 };
        string name = "member", loc = "m";
        w.Line($"case {0}: {name} = {loc}{0};"); // the writer's first chunk
        int start = w.ToString().Length;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            w.Line($"case {i}: {name} = {loc}{i};");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        int chars = w.ToString().Length - start;
        // The builder's chunks only (two bytes a character, chunk objects); a string per line (and a
        // string per number) would be twice that and more.
        Assert.True(allocated < chars * 2L + 16 * 1024, $"{allocated} bytes allocated for {chars} characters");
    }

    [Fact]
    public void ALiteralLineIsTheLineOfTheLiteral()
    {
        string text = "{\"name\": \"a\\b\"}\n\t\u00e9";
        var w = new SourceWriter { Indent = 1 };
        w.LiteralLine("x = ", text, "u8;");
        Assert.Equal(new SourceWriter { Indent = 1 }.Line("x = " + CsNames.Literal(text) + "u8;").ToString(), w.ToString());
        Assert.Equal("    x = \"{\\\"name\\\": \\\"a\\\\b\\\"}\\n\\t\\u00e9\"u8;\n", w.ToString());
    }
}
