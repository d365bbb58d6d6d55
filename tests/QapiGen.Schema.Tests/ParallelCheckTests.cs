using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;
using QapiGen.Schema.Threading;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// The expression checks run in two halves at once (strictly); what comes out must be what checking
/// them one after another gives: the same normalised expressions, and the first error in order.
/// </summary>
public sealed class ParallelCheckTests
{
    private static string Outcome(Func<QapiSchemaParser> parse, bool parallel)
    {
        QapiSchemaParser p = parse();
        try
        {
            ExprChecker.CheckExprs(p.Exprs, null, parallel);
        }
        catch (QapiError e)
        {
            return "error " + e;
        }
        var text = new StringBuilder();
        foreach (QapiExpression e in p.Exprs)
        {
            text.Append(e.Info).Append(' ').Append(Json(e.Expr)).Append('\n');
        }
        return text.ToString();
    }

    private static string Json(object value) => value switch
    {
        QDict d => "{" + string.Join(",", d.Select(kv => kv.Key + ":" + Json(kv.Value))) + "}",
        System.Collections.Generic.List<object> l => "[" + string.Join(",", l.Select(Json)) + "]",
        _ => value.ToString()!,
    };

    private static Func<QapiSchemaParser> Schema(int count, params (int Index, string Bad)[] errors)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            (int _, string bad) = errors.FirstOrDefault(e => e.Index == i);
            text.Append(bad ?? $"{{ 'struct': 'Thing{i}', 'data': {{ 'a': 'int', '*b': ['str'] }}, 'features': [ 'f' ] }}\n");
        }
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("m.json", text.ToString());
        return () => QapiSchemaParser.Parse("m.json", fs);
    }

    public static TheoryData<int, int> ErrorPlaces => new()
    {
        { -1, -1 },   // none
        { 10, -1 },   // in the first half only
        { -1, 900 },  // in the second half only
        { 400, 700 }, // in both: the first half's is the first
    };

    [Theory]
    [MemberData(nameof(ErrorPlaces))]
    public void CheckedInHalvesIsCheckedInOrder(int first, int second)
    {
        const int Count = 1000;
        Func<QapiSchemaParser> parse = Schema(Count, (first, "{ 'struct': 'bad name', 'data': { } }\n"),
            (second, "{ 'struct': 'Late', 'data': { 'x': 'int' }, 'bogus': true }\n"));
        string sequential = Outcome(parse, false);
        for (int run = 0; run < 10; run++)
        {
            Assert.Equal(sequential, Outcome(parse, true));
        }
        if (first >= 0 || second >= 0)
        {
            Assert.StartsWith("error ", sequential);
            Assert.Contains($"m.json:{(first >= 0 ? first : second) + 1}:", sequential);
        }
        else
        {
            Assert.DoesNotContain("error", sequential);
        }
    }

    [SharedFact("qemu-schemas")]
    public void QemusSchemaCheckedInHalvesIsCheckedInOrder()
    {
        var fs = new RootedFileSystem(Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0"));
        Func<QapiSchemaParser> parse = () => QapiSchemaParser.Parse("qapi-schema.json", fs);
        Assert.True(parse().Exprs.Count >= ExprChecker.ParallelThreshold);
        Assert.Equal(Outcome(parse, false), Outcome(parse, true));
    }
}
