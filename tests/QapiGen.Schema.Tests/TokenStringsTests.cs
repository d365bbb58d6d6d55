using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// String tokens are made once per text in a parse (the files it includes too): a repeated name is
/// the same instance, so a schema that says <c>'type'</c> thousands of times allocates it once.
/// </summary>
public sealed class TokenStringsTests
{
    private static QapiSchemaParser Parse(string main, string included)
        => QapiSchemaParser.Parse("main.json",
            new InMemorySchemaFileSystem().Add("main.json", main).Add("sub.json", included));

    [Fact]
    public void ARepeatedNameIsOneInstanceAcrossIncludedFiles()
    {
        QapiSchemaParser p = Parse(
            "{ 'struct': 'A', 'data': { 'x': 'str', 'y': 'str' } }\n{ 'include': 'sub.json' }\n",
            "{ 'struct': 'B', 'data': { 'x': 'str' } }\n");
        QDict a = p.Exprs[0].Expr, b = p.Exprs[2].Expr;
        var aData = (QDict)a["data"];
        var bData = (QDict)b["data"];
        Assert.Equal("str", aData["x"]);
        Assert.Same(aData["x"], aData["y"]);
        Assert.Same(aData["x"], bData["x"]);
        Assert.Same(aData.Keys[0], bData.Keys[0]);
        Assert.Same(a.Keys[0], b.Keys[0]);
    }

    [Fact]
    public void EscapedAndLongStringsKeepTheirText()
    {
        string longName = new('a', TokenStrings.MaxLength + 10);
        QapiSchemaParser p = Parse(
            $"{{ 'enum': 'E', 'data': [ 'back\\\\slash', 'back\\\\slash', '{longName}', '{longName}', '' ] }}\n", "");
        List<object> data = (List<object>)p.Exprs[0].Expr["data"];
        Assert.Equal(new object[] { "back\\slash", "back\\slash", longName, longName, "" }, data);
    }

    [Fact]
    public void ThousandsOfTextsEachComeBackAsTheirOwnInstance()
    {
        // Far past the table's first size: it grows and still finds every text.
        string source = string.Concat(Enumerable.Range(0, 5000).Select(i => $"name{i};"));
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(source);
        var strings = new TokenStrings();
        var first = new List<string>();
        int start = 0;
        for (int i = 0; i < 5000; i++)
        {
            int end = source.IndexOf(';', start);
            first.Add(strings.Get(bytes, start, end - start));
            start = end + 1;
        }
        start = 0;
        for (int i = 0; i < 5000; i++)
        {
            int end = source.IndexOf(';', start);
            string again = strings.Get(bytes, start, end - start);
            Assert.Equal($"name{i}", again);
            Assert.Same(first[i], again);
            start = end + 1;
        }
    }
}
