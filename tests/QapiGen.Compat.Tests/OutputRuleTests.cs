using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Compat;
using Xunit;
using static QapiGen.Compat.Tests.FindingAsserts;

namespace QapiGen.Compat.Tests;

/// <summary>Rules for what clients read: command returns, event data and the types reachable from them.</summary>
public sealed class OutputRuleTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    private const string Info = """{ "struct": "Info", "data": { "id": "str", "*note": "str", "size": "int" } }""";

    [Fact]
    public void RemovedReplyMemberBreaksReadersRemovedOptionalDoesNot()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            Info + """{ "command": "query-info", "returns": "Info" }""",
            """{ "struct": "Info", "data": { "id": "str" } } { "command": "query-info", "returns": "Info" }""");
        Finding size = Single(findings, "member-removed", "size");
        Assert.Equal(FindingClass.BreakingForReaders, size.Class);
        Assert.Equal(Direction.Output, size.Direction);
        Assert.Equal("Info", size.Definition);
        Assert.Equal(FindingClass.Compatible, Single(findings, "optional-member-removed", "note").Class);
    }

    [Fact]
    public void MandatoryToOptionalInOutputBreaksReaders()
    {
        Finding f = Single(_t.Compare(
            Info + """{ "command": "query-info", "returns": "Info" }""",
            """{ "struct": "Info", "data": { "id": "str", "*note": "str", "*size": "int" } } { "command": "query-info", "returns": "Info" }"""),
            "member-now-optional", "size");
        Assert.Equal(FindingClass.BreakingForReaders, f.Class);
    }

    [Fact]
    public void AddedReplyMemberAndOptionalToMandatoryAreCompatible()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            Info + """{ "command": "query-info", "returns": "Info" }""",
            """{ "struct": "Info", "data": { "id": "str", "note": "str", "size": "int", "*more": "bool" } } { "command": "query-info", "returns": "Info" }""");
        Assert.Equal(FindingClass.Compatible, Single(findings, "member-added", "more").Class);
        Assert.Equal(FindingClass.Compatible, Single(findings, "member-now-mandatory", "note").Class);
        Assert.DoesNotContain(findings, f => f.Class.IsBreaking());
    }

    [Fact]
    public void ChangedAndWidenedTypesBreakReadersNarrowedDoNot()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "enum": "State", "data": [ "on", "off" ] }
            { "struct": "Sample", "data": { "a": "int", "b": "uint8", "c": "State", "d": "str", "e": "number" } }
            { "event": "CHANGED", "data": "Sample" }
            """,
            """
            { "enum": "State", "data": [ "on", "off" ] }
            { "struct": "Sample", "data": { "a": "str", "b": "uint64", "c": "State", "d": "State", "e": "int" } }
            { "event": "CHANGED", "data": "Sample" }
            """);
        Assert.Equal(FindingClass.BreakingForReaders, Single(findings, "type-changed", "a").Class);
        Assert.Equal(FindingClass.BreakingForReaders, Single(findings, "type-widened", "b").Class);
        Assert.Equal(FindingClass.Compatible, Single(findings, "type-narrowed", "d").Class);
        Assert.Equal(FindingClass.Compatible, Single(findings, "type-narrowed", "e").Class);
    }

    [Fact]
    public void EnumValuesInOutputAddedIsCompatibleRemovedToo()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """{ "enum": "State", "data": [ "on", "off" ] } { "event": "CHANGED", "data": { "state": "State" } }""",
            """{ "enum": "State", "data": [ "on", "paused" ] } { "event": "CHANGED", "data": { "state": "State" } }""");
        Finding added = Single(findings, "value-added", "paused");
        Assert.Equal(FindingClass.Compatible, added.Class);
        Assert.Contains("readers may now receive", added.Message);
        Assert.Equal(FindingClass.Compatible, Single(findings, "value-removed", "off").Class);
    }

    [Fact]
    public void RemovedEventBreaksReaders()
    {
        Finding f = Single(_t.Compare("""{ "event": "STOP" } { "event": "RESUME" }""", """{ "event": "RESUME" }"""), "event-removed");
        Assert.Equal(FindingClass.BreakingForReaders, f.Class);
        Assert.Equal("STOP", f.Definition);
    }

    [Fact]
    public void TypeBecomingAnAlternateInOutputBreaksReaders()
    {
        Finding f = Single(_t.Compare(
            """{ "struct": "Reply", "data": { "v": "str" } } { "command": "get", "returns": "Reply" }""",
            """{ "struct": "Pair", "data": { "k": "str" } } { "alternate": "Value", "data": { "s": "str", "p": "Pair" } } { "struct": "Reply", "data": { "v": "Value" } } { "command": "get", "returns": "Reply" }"""),
            "alternative-added", "v");
        Assert.Equal(FindingClass.BreakingForReaders, f.Class);
    }

    [Fact]
    public void TypesReachedBothWaysGetBothRules()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "struct": "Cfg", "data": { "a": "int", "b": "int" } }
            { "command": "set-cfg", "data": { "cfg": "Cfg" } }
            { "command": "get-cfg", "returns": "Cfg" }
            """,
            """
            { "struct": "Cfg", "data": { "a": "int" } }
            { "command": "set-cfg", "data": { "cfg": "Cfg" } }
            { "command": "get-cfg", "returns": "Cfg" }
            """);
        var both = findings.Where(f => f.Kind == "member-removed" && f.Member == "b").ToList();
        Assert.Equal(2, both.Count);
        Assert.Contains(both, f => f.Class == FindingClass.BreakingForSenders && f.Direction == Direction.Input);
        Assert.Contains(both, f => f.Class == FindingClass.BreakingForReaders && f.Direction == Direction.Output);
    }
}
