using System;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>Doc comments: symbol and free-form blocks, descriptions, features, sections, and their errors.</summary>
public class DocCommentTests
{
    private static QapiSchemaParser Parse(string text)
        => QapiSchemaParser.Parse("d.json", new InMemorySchemaFileSystem().Add("d.json", text));

    private static string Error(string text) => Assert.ThrowsAny<QapiError>(() => Parse(text)).ToString();

    [Fact]
    public void DefinitionDocumentationIsSplitIntoParts()
    {
        QapiSchemaParser p = Parse("""
            ##
            # @frob:
            #
            # Frobnicates.
            #
            # @arg: the thing,
            #     indented continuation
            #
            # Features:
            # @deprecated: use something else
            #
            # Returns: nothing
            #
            # Since: 1.0
            ##
            { 'command': 'frob', 'data': { 'arg': 'int' }, 'features': [ 'deprecated' ] }

            """);
        QapiDoc doc = Assert.Single(p.Docs);
        Assert.Equal("frob", doc.Symbol);
        Assert.Same(doc, p.Exprs[0].Doc);
        Assert.Equal("Frobnicates.", doc.Body.Text);
        QapiDoc.ArgSection arg = Assert.Single(doc.Args);
        Assert.Equal(("arg", "the thing,\nindented continuation"), (arg.Name, arg.Text));
        Assert.Equal("use something else", Assert.Single(doc.Features).Text);
        Assert.Equal(new[] { ("Returns", "nothing"), ("Since", "1.0") },
            doc.Sections.Select(s => (s.Name!, s.Text)).ToArray());
    }

    [Fact]
    public void HeadingsSplitFreeFormBlocks()
    {
        QapiSchemaParser p = Parse("##\n# = One\n#\n# text\n# == Two\n##\n");
        Assert.Equal(new[] { "= One\n\ntext", "== Two" }, p.Docs.Select(d => d.Body.Text).ToArray());
        Assert.All(p.Docs, d => Assert.Null(d.Symbol));
    }

    [Theory]
    [InlineData("##\n#x\n##\n", "d.json:2:1: missing space after #")]
    [InlineData("## junk\n##\n", "d.json:1:1: junk after '##' at start of documentation comment")]
    [InlineData("##\n# text\n## junk\n", "d.json:3:1: junk after '##' at end of documentation comment")]
    [InlineData("##\n# text\n{ 'enum': 'E', 'data': [] }\n", "d.json:3:1: documentation comment must end with '##'")]
    [InlineData("##\n# @foo\n##\n", "d.json:2:1: line should end with ':'")]
    [InlineData("##\n# @:\n##\n", "d.json:2:1: name required after '@'")]
    [InlineData("##\n# @foo:\n# @a: x\n# @a: y\n##\n", "d.json:4:1: 'a' parameter name duplicated")]
    [InlineData("##\n# @foo:\n# Since: 1\n# Since: 2\n##\n", "d.json:4:1: duplicated 'Since' section")]
    [InlineData("##\n# @foo:\n# Since: 1\n# @a: late\n##\n", "d.json:4:1: description of '@a:' follows a section")]
    [InlineData("##\n# @foo:\n# Note:\n##\n", "d.json:4:1: empty doc section 'Note'")]
    [InlineData("##\n# text\n# @a: b\n##\n", "d.json:3:1: '@a:' not allowed in free-form documentation")]
    [InlineData("##\n# @foo:\n# = heading\n##\n", "d.json:3:1: unexpected '=' markup in definition documentation")]
    [InlineData("##\n# @foo:\n# @a: one\n#   two\n# three\n##\n", "d.json:5:1: unexpected de-indent (expected at least 2 spaces)")]
    [InlineData("##\n# @foo:\n##\n{ 'pragma': {} }\n", "d.json:1: documentation for 'foo' is not followed by the definition")]
    [InlineData("##\n# free\n##\n{ 'enum': 'E', 'data': [] }\n", "d.json:1: definition documentation required")]
    public void DocErrorsAreLocated(string text, string expected) => Assert.Equal(expected, Error(text));

    [Fact]
    public void LenientDocsTurnDocErrorsIntoWarningsAndKeepTheDefinitions()
    {
        var options = new QapiSchemaOptions { LenientDocs = true };
        var p = QapiSchemaParser.Parse("d.json", new InMemorySchemaFileSystem().Add("d.json",
            "##\n# @foo:\n# Note:\n##\n{ 'enum': 'Foo', 'data': [] }\n##\n# @Bar:\n##\n{ 'enum': 'Bar', 'data': [] }\n"), options);
        Assert.Equal(2, p.Exprs.Count);
        Assert.Null(p.Exprs[0].Doc);
        Assert.Equal("Bar", p.Exprs[1].Doc!.Symbol);
        Assert.Equal("d.json:4:1: empty doc section 'Note'", Assert.Single(options.Warnings).ToString());
    }

    [Fact]
    public void ADocKeepsItsFilesUtf8BytesNotItsText()
    {
        // A doc lives as long as the schema model. It keeps its sections as lines of its file's UTF-8
        // bytes (QEMU's: 692 KB, against 1.4 MB of text as UTF-16, and 1 MB of section texts as
        // strings), and makes a section's text when it is read; the text the file was handed in as
        // must be garbage once parsed, or every collection during a load copies it.
        (WeakReference text, System.Collections.Generic.List<QapiDoc> docs) = ParseDocs();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(text.IsAlive);
        Assert.Equal("Foo", Assert.Single(docs).Symbol);
        Assert.Equal("one,\ntwo", Assert.Single(docs).Args.Single().Text);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (WeakReference, System.Collections.Generic.List<QapiDoc>) ParseDocs()
    {
        string text = "##\n# @Foo:\n#\n# @a: one,\n#     two\n##\n{ 'struct': 'Foo', 'data': { 'a': 'int' } }\n" + "# " + new string('x', 100) + "\n";
        QapiSchemaParser p = Parse(text);
        return (new WeakReference(text), p.Docs);
    }

    [Fact]
    public void NonAsciiTextIsIndentedTrimmedAndReadAsCharacters()
    {
        // The reference strips indentation and trailing whitespace by characters, Unicode whitespace
        // included (a no-break space); the lines are kept as UTF-8 and decoded when read.
        QapiSchemaParser p = Parse(
            "##\n# @Foo:\n#\n# Grüße\u00A0\n#\n# @a: ünë,\n#  \u00A0zwëi \u00A0\n#  \u00A0  drei\n#\n# Since: 1.0 \U0001F600\n##\n" +
            "{ 'struct': 'Foo', 'data': { 'a': 'int' } }\n");
        QapiDoc doc = Assert.Single(p.Docs);
        Assert.Equal("Grüße", doc.Body.Text);
        Assert.Equal("ünë,\nzwëi\n  drei", doc.Args.Single().Text);
        Assert.Equal("1.0 \U0001F600", Assert.Single(doc.Sections).Text);
        var dumped = new System.Text.StringBuilder();
        doc.Args.Single().AppendTextTo(dumped);
        Assert.Equal(doc.Args.Single().Text, dumped.ToString());
    }

    [Fact]
    public void ADeIndentIsCountedInCharacters()
        => Assert.Equal("d.json:6:1: unexpected de-indent (expected at least 3 spaces)",
            Error("##\n# @Foo:\n#\n# @a: one,\n#  \u00A0 two\n#  \u00A0three\n##\n{ 'struct': 'Foo', 'data': { 'a': 'int' } }\n"));

    [Fact]
    public void ADocNamesItsDefinitionAndMembersWithTheStringsOfTheirTokens()
    {
        // QEMU's schema describes 5,000 members: each name made again from its doc line (twice: the
        // line is matched before it is read) was 200 KB of a load.
        QapiSchemaParser p = Parse("##\n# @Foo:\n#\n# @a-member: one\n#\n# @grün: two\n##\n{ 'struct': 'Foo', 'data': { 'a-member': 'int' } }\n");
        QapiDoc doc = Assert.Single(p.Docs);
        QDict expr = p.Exprs[0].Expr;
        Assert.Same(expr["struct"], doc.Symbol);
        Assert.Same(((QDict)expr["data"]).Keys[0], doc.Args.First().Name);
        // Not ASCII: not a token's text (strings are ASCII), made from the line.
        Assert.Equal("grün", doc.Args.Last().Name);
    }
}
