using System;
using System.Collections.Generic;
using System.Text;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Schema.Tests;

/// <summary>
/// What the schema's objects cost a load: QEMU's schema has 20,000 of them, most with one to three
/// keys, and every key of every object is checked. In a short-lived <c>qapigen</c> every fresh page
/// is paid for (docs/native.md).
/// </summary>
public sealed class ObjectAllocationTests(ITestOutputHelper output)
{
    private static string Members(int count, bool asObjects)
    {
        var text = new StringBuilder("{ 'struct': 'Wide', 'data': {");
        for (int i = 0; i < count; i++)
        {
            text.Append(asObjects ? $" 'm{i}': {{ 'type': 'int' }}," : $" 'm{i}': 'int',");
        }
        return text.Append(" 'last': 'int' } }\n").ToString();
    }

    [Fact]
    public void AParsedObjectCostsItsEntriesAndLittleElse()
    {
        const int Count = 5000;
        // The same members with their long form { 'type': 'int' }: the difference is one object of one
        // key each (and the 16 bytes of text it adds).
        long perObject = (Allocation.OfParse(Members(Count, true)) - Allocation.OfParse(Members(Count, false))) / Count;
        output.WriteLine($"{perObject} bytes per one-key object");
        // Measured 92 bytes (the object, its entry array of one, its text); a list per object with room
        // for four entries made it 152.
        Assert.True(perObject < 120, $"{perObject} bytes allocated per one-key object");
    }

    [Fact]
    public void AParsedObjectKeepsItsKeysInOrderAndRefusesADuplicate()
    {
        // Past the size where duplicates are looked up in a set.
        var text = new StringBuilder("{ 'struct': 'Wide', 'data': {");
        for (int i = 0; i < 40; i++)
        {
            text.Append($" 'm{i}': {{ 'type': 'int', 'if': 'C{i}' }},");
        }
        string wide = text.ToString();
        QapiSchemaParser p = QapiSchemaParser.Parse("main.json", new InMemorySchemaFileSystem().Add("main.json", wide + " 'last': {} } }\n"));
        QDict data = (QDict)p.Exprs[0].Expr["data"];
        Assert.Equal(41, data.Count);
        Assert.Equal("m39", data.Keys[39]);
        Assert.Equal("C7", ((QDict)data["m7"])["if"]);
        Assert.Equal(0, ((QDict)data["last"]).Count);
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchemaParser.Parse("main.json", new InMemorySchemaFileSystem().Add("main.json", wide + " 'm30': 'int' } }\n")));
        Assert.Equal($"main.json:1:{wide.Length + 9}: duplicate key 'm30'", e.ToString());
        e = Assert.ThrowsAny<QapiError>(() => QapiSchemaParser.Parse("main.json", new InMemorySchemaFileSystem().Add("main.json", "{ 'a': 1, 'b': { 'a': 'x', 'a': 'y' } }\n")));
        Assert.Equal("main.json:1:8: stray '1'", e.ToString());
        e = Assert.ThrowsAny<QapiError>(() => QapiSchemaParser.Parse("main.json", new InMemorySchemaFileSystem().Add("main.json", "{ 'a': 'x', 'b': { 'a': 'x', 'a': 'y' } }\n")));
        Assert.Equal("main.json:1:35: duplicate key 'a'", e.ToString());
    }

    [Fact]
    public void CheckingTheKeysOfAnObjectAllocatesNothingWhenTheyAreRight()
    {
        // Runs for every definition, member, feature and condition: a closure made on every call for
        // the lambda of its error message was 145 KB of a load of QEMU's schema.
        var dict = new QDict(2) { ["type"] = "int", ["if"] = "CONFIG_X" };
        var info = new QapiSourceInfo("main.json", null);
        string[] required = ["type"], optional = ["if", "features"];
        long allocated = Allocation.OfSecondRun(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                ExprChecker.CheckKeys(dict, info, "member", required, optional);
            }
        });
        Assert.Equal(0, allocated);
        QapiError e = Assert.ThrowsAny<QapiError>(() => ExprChecker.CheckKeys(new QDict(1) { ["tpye"] = "int" }, info, "member", required, optional));
        Assert.Equal("main.json:1: member misses key 'type'", e.ToString());
        e = Assert.ThrowsAny<QapiError>(() => ExprChecker.CheckKeys(new QDict(2) { ["type"] = "int", ["iff"] = "X" }, info, "member", required, optional));
        Assert.Equal("main.json:1: member has unknown key 'iff'\nValid keys are 'features', 'if', 'type'.", e.ToString());
    }

    [Fact]
    public void AnObjectGrowsAndShrinksInOrder()
    {
        var dict = new QDict(0);
        for (int i = 0; i < 20; i++)
        {
            dict[$"k{i}"] = i;
        }
        Assert.True(dict.Remove("k3"));
        Assert.True(dict.Remove("k15"));
        Assert.False(dict.Remove("k3"));
        dict["k3"] = 33;
        var keys = new List<string>();
        foreach (KeyValuePair<string, object> kv in dict)
        {
            keys.Add(kv.Key);
        }
        Assert.Equal(19, dict.Count);
        Assert.Equal("k3", keys[18]);
        Assert.Equal(keys, dict.Keys);
        Assert.Equal(16, dict["k16"]);
        Assert.Equal(33, dict["k3"]);
        Assert.Null(dict.Get("k15"));
    }

    private static long CheckAllocation(string text)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("main.json", text);
        ExprChecker.CheckExprs(QapiSchemaParser.Parse("main.json", fs, null, 0).Exprs, null, false);
        List<QapiExpression> exprs = QapiSchemaParser.Parse("main.json", fs, null, 0).Exprs;
        return Allocation.During(() => ExprChecker.CheckExprs(exprs, null, false));
    }

    private static string MembersAndValues(int count)
    {
        var text = new StringBuilder("{ 'struct': 'Wide', 'data': {");
        for (int i = 0; i < count; i++)
        {
            text.Append($" 'member-{i}': 'int', '*opt-{i}': {{ 'type': 'str', 'if': 'CONFIG_{i}', 'features': [ 'deprecated' ] }},");
        }
        text.Append(" 'last': 'int' } }\n{ 'enum': 'Values', 'data': [");
        for (int i = 0; i < count; i++)
        {
            text.Append($" 'value-{i}', {{ 'name': 'other-{i}', 'if': 'CONFIG_{i}' }},");
        }
        return text.Append(" 'last' ] }\n").ToString();
    }

    [Fact]
    public void CheckingAMemberMakesNoStringForItsErrors()
    {
        const int Count = 1000;
        long perItem = (CheckAllocation(MembersAndValues(2 * Count)) - CheckAllocation(MembersAndValues(Count))) / (4 * Count);
        output.WriteLine($"{perItem} bytes per member or enum value checked");
        // Measured 70 bytes (the long forms the short ones are normalised to); the text naming each
        // member, value and feature in an error message ("'data' member 'member-1'"), made for every
        // one in case it is wrong, made it 218.
        Assert.True(perItem < 110, $"{perItem} bytes per member or enum value checked");
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("main.json", new InMemorySchemaFileSystem().Add("main.json",
            "{ 'struct': 'Wide', 'data': { 'a': 'int', '*b_c': { 'type': 'str', 'if': 'CONFIG_X' } } }\n")));
        Assert.Equal("main.json: In struct 'Wide':\nmain.json:1: name of 'data' member '*b_c' must not use uppercase or '_'", e.ToString());
    }
}
