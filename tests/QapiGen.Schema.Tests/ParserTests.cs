using System.Collections.Generic;
using QapiGen.Schema;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>The lexer and parser: values, positions, includes, pragmas and their errors.</summary>
public class ParserTests
{
    private static QapiSchemaParser Parse(string text, params (string Path, string Text)[] more)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("main.json", text);
        foreach ((string? path, string? t) in more)
        {
            fs.Add(path, t);
        }

        return QapiSchemaParser.Parse("main.json", fs);
    }

    private static string Error(string text, params (string Path, string Text)[] more)
        => Assert.ThrowsAny<QapiError>(() => Parse(text, more)).ToString();

    [Fact]
    public void ReadsObjectsArraysStringsAndBooleansInOrder()
    {
        QapiSchemaParser p = Parse("{ 'struct': 'Foo', 'data': { 'b': 'int', 'a': ['str'] }, 'x': true, 'y': false }\n");
        QDict expr = Assert.Single(p.Exprs).Expr;
        Assert.Equal(new[] { "struct", "data", "x", "y" }, expr.Keys);
        QDict data = Assert.IsType<QDict>(expr["data"]);
        Assert.Equal(new[] { "b", "a" }, data.Keys);
        Assert.Equal("str", Assert.Single(Assert.IsType<List<object>>(data["a"])));
        Assert.Equal(true, expr["x"]);
        Assert.Equal(false, expr["y"]);
    }

    [Fact]
    public void BackslashEscapesOnlyItself()
    {
        QapiSchemaParser p = Parse("{ 'enum': 'a\\\\b', 'data': [] }");
        Assert.Equal("a\\b", p.Exprs[0].Expr["enum"]);
        Assert.Equal("main.json:1:11: unknown escape \\n", Error("{ 'enum': 'a\\nb' }"));
    }

    [Theory]
    [InlineData("{ 'a': 'b' ", "main.json:1:12: expected ',' or '}'")]
    [InlineData("{ 'a' 'b' }", "main.json:1:7: expected ':'")]
    [InlineData("{ 'a': 'b', }", "main.json:1:13: expected string")]
    [InlineData("[ 'a' 'b' ]", "main.json:1:7: expected ',' or ']'")]
    [InlineData("{ 'a': 'b', 'a': 'c' }", "main.json:1:18: duplicate key 'a'")]
    [InlineData("{ 'a': nope }", "main.json:1:8: stray 'nope'")]
    [InlineData("{ 'a': 'unterminated }", "main.json:1:8: missing terminating \"'\"")]
    [InlineData("{ 'a': \t'x\u0001' }", "main.json:1:8: funny character in string")]
    [InlineData("'just a string'", "main.json:1: top-level expression must be an object")]
    public void SyntaxErrorsNameFileLineAndColumn(string text, string expected)
        => Assert.Equal(expected, Error(text));

    // The reference's column arithmetic for tabs, (col + 7) % 8 + 1, is kept as is: columns must match its messages.
    [Fact]
    public void TabsCountAsTheReferenceCountsThem()
        => Assert.Equal("main.json:1:3: stray 'x'", Error("{\t x }"));

    [Fact]
    public void IncludesAreRelativeToTheIncludingFileAndReadOnce()
    {
        QapiSchemaParser p = Parse("{ 'include': 'sub/a.json' }\n{ 'include': 'sub/a.json' }\n",
            ("sub/a.json", "{ 'include': 'b.json' }\n{ 'enum': 'A', 'data': [] }\n"),
            ("sub/b.json", "{ 'enum': 'B', 'data': [] }\n"));
        List<string> kinds = p.Exprs.ConvertAll(e => e.Expr.Keys[0] + "=" + e.Expr[e.Expr.Keys[0]]);
        Assert.Equal(new[] { "include=sub/a.json", "include=sub/b.json", "enum=B", "enum=A", "include=sub/a.json" }, kinds);
        Assert.Equal("sub/b.json", p.Exprs[2].Info.FileName);
        Assert.Equal("sub/a.json", p.Exprs[2].Info.Parent!.FileName);
        Assert.Equal("main.json", p.Exprs[2].Info.Parent!.Parent!.FileName);
    }

    [Fact]
    public void IncludeCyclesAreReportedWithTheIncludeChain()
    {
        string error = Error("{ 'include': 'a.json' }\n", ("a.json", "\n{ 'include': 'main.json' }\n"));
        Assert.Equal("In file included from main.json:1:\na.json:2: inclusion loop for main.json", error);
    }

    [Fact]
    public void MissingIncludeNamesTheFile()
        => Assert.Equal("main.json:1: can't read include file 'nope.json': No such file or directory",
            Error("{ 'include': 'nope.json' }"));

    [Theory]
    [InlineData("{ 'include': 'a.json', 'x': 'y' }", "main.json:1: invalid 'include' directive")]
    [InlineData("{ 'include': [] }", "main.json:1: value of 'include' must be a string")]
    [InlineData("{ 'pragma': [] }", "main.json:1: value of 'pragma' must be an object")]
    [InlineData("{ 'pragma': { 'doc-required': 'yes' } }", "main.json:1: pragma 'doc-required' must be boolean")]
    [InlineData("{ 'pragma': { 'member-name-exceptions': [ true ] } }", "main.json:1: pragma member-name-exceptions must be a list of strings")]
    [InlineData("{ 'pragma': { 'frobnicate': true } }", "main.json:1: unknown pragma 'frobnicate'")]
    public void DirectiveErrors(string text, string expected) => Assert.Equal(expected, Error(text));

    [Fact]
    public void PragmasApplyToIncludedFiles()
    {
        QapiSchemaParser p = Parse("{ 'pragma': { 'doc-required': true, 'command-name-exceptions': [ 'a_b' ] } }\n{ 'include': 'a.json' }\n",
            ("a.json", "{ 'enum': 'A', 'data': [] }\n"));
        QapiPragma pragma = p.Exprs[1].Info.Pragma;
        Assert.True(pragma.DocRequired);
        Assert.Equal(new[] { "a_b" }, pragma.CommandNameExceptions);
    }

    [Fact]
    public void DeepNestingIsAnErrorNotAStackOverflow()
    {
        string text = "{ 'a': " + new string('[', 100_000) + new string(']', 100_000) + " }";
        Assert.Contains("nesting too deep", Error(text));
    }
}
