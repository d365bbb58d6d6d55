using System;
using System.Collections.Generic;
using QapiGen.Compat;
using Xunit;
using static QapiGen.Compat.Tests.FindingAsserts;

namespace QapiGen.Compat.Tests;

/// <summary>Rules for what clients send: command arguments and every type reachable from them.</summary>
public sealed class InputRuleTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void RemovedCommandBreaksSenders()
    {
        Finding f = Single(_t.Compare(
            """{ "command": "ping" } { "command": "stop" }""",
            """{ "command": "ping" }"""), "command-removed");
        Assert.Equal(FindingClass.BreakingForSenders, f.Class);
        Assert.Equal("stop", f.Definition);
        Assert.EndsWith(":1", f.OldLocation!.ToString());
        Assert.Null(f.NewLocation);
    }

    [Fact]
    public void AddedCommandIsCompatible()
    {
        Finding f = Single(_t.Compare("""{ "command": "ping" }""", """{ "command": "ping" } { "command": "stop" }"""), "command-added");
        Assert.Equal(FindingClass.Compatible, f.Class);
    }

    [Fact]
    public void RemovedArgumentBreaksSenders()
    {
        Finding f = Single(_t.Compare(
            """{ "command": "eject", "data": { "id": "str", "*force": "bool" } }""",
            """{ "command": "eject", "data": { "id": "str" } }"""), "member-removed", "force");
        Assert.Equal(FindingClass.BreakingForSenders, f.Class);
        Assert.Equal("eject", f.Definition);
        Assert.Equal("eject(arguments).force", f.Path);
    }

    [Fact]
    public void RenamedArgumentIsReportedOnceAsARename()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """{ "command": "eject", "data": { "id": "str", "*force": "bool" } }""",
            """{ "command": "eject", "data": { "id": "str", "*forced": "bool" } }""");
        Finding f = Single(findings, "member-renamed", "force");
        Assert.Equal(FindingClass.BreakingForSenders, f.Class);
        Assert.Contains("'forced'", f.Message);
        Assert.Single(findings);
    }

    [Fact]
    public void OptionalToMandatoryBreaksSendersAndTheReverseIsCompatible()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """{ "command": "eject", "data": { "*id": "str", "force": "bool" } }""",
            """{ "command": "eject", "data": { "id": "str", "*force": "bool" } }""");
        Assert.Equal(FindingClass.BreakingForSenders, Single(findings, "member-now-mandatory", "id").Class);
        Assert.Equal(FindingClass.Compatible, Single(findings, "member-now-optional", "force").Class);
    }

    [Fact]
    public void NewMandatoryArgumentBreaksSendersNewOptionalDoesNot()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """{ "command": "eject", "data": { "id": "str" } }""",
            """{ "command": "eject", "data": { "id": "str", "node": "str", "*force": "bool" } }""");
        Assert.Equal(FindingClass.BreakingForSenders, Single(findings, "mandatory-member-added", "node").Class);
        Assert.Equal(FindingClass.Compatible, Single(findings, "optional-member-added", "force").Class);
    }

    [Fact]
    public void NarrowedTypesBreakSenders()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "enum": "Mode", "data": [ "a", "b" ] }
            { "command": "set", "data": { "n": "int", "s": "str", "x": "number", "v": "any" } }
            """,
            """
            { "enum": "Mode", "data": [ "a", "b" ] }
            { "command": "set", "data": { "n": "uint8", "s": "Mode", "x": "int", "v": "str" } }
            """);
        foreach (string? m in new[] { "n", "s", "x", "v" })
        {
            Assert.Equal(FindingClass.BreakingForSenders, Single(findings, "type-narrowed", m).Class);
        }
    }

    [Fact]
    public void WidenedTypesAreCompatibleForSenders()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "enum": "Mode", "data": [ "a", "b" ] }
            { "command": "set", "data": { "n": "uint8", "s": "Mode", "x": "int" } }
            """,
            """
            { "command": "set", "data": { "n": "int", "s": "str", "x": "number" } }
            """);
        foreach (string? m in new[] { "n", "s", "x" })
        {
            Assert.Equal(FindingClass.Compatible, Single(findings, "type-widened", m).Class);
        }
    }

    [Fact]
    public void ChangedTypeBreaksSenders()
    {
        Finding f = Single(_t.Compare(
            """{ "command": "set", "data": { "n": "int" } }""",
            """{ "command": "set", "data": { "n": "str" } }"""), "type-changed", "n");
        Assert.Equal(FindingClass.BreakingForSenders, f.Class);
        Assert.Contains("from int to str", f.Message);
    }

    [Fact]
    public void RemovedEnumValueBreaksSendersAddedIsCompatible()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "enum": "Mode", "data": [ "a", "b" ] }
            { "command": "set", "data": { "m": "Mode" } }
            """,
            """
            { "enum": "Mode", "data": [ "a", "c" ] }
            { "command": "set", "data": { "m": "Mode" } }
            """);
        Finding removed = Single(findings, "value-removed", "b");
        Assert.Equal(FindingClass.BreakingForSenders, removed.Class);
        Assert.Equal("Mode", removed.Definition);
        Assert.Equal(FindingClass.Compatible, Single(findings, "value-added", "c").Class);
    }

    [Fact]
    public void TurningAnArgumentIntoAnAlternateOfItIsCompatible()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "struct": "Opts", "data": { "a": "int" } }
            { "command": "open", "data": { "file": "str" } }
            """,
            """
            { "struct": "Opts", "data": { "a": "int" } }
            { "alternate": "FileRef", "data": { "name": "str", "opts": "Opts" } }
            { "command": "open", "data": { "file": "FileRef" } }
            """);
        Assert.Equal(FindingClass.Compatible, Single(findings, "alternative-added", "file").Class);
        Assert.DoesNotContain(findings, f => f.Class.IsBreaking());
    }

    [Fact]
    public void RemovingAnAlternateBranchBreaksSenders()
    {
        Finding f = Single(_t.Compare(
            """
            { "struct": "Opts", "data": { "a": "int" } }
            { "alternate": "FileRef", "data": { "name": "str", "opts": "Opts" } }
            { "command": "open", "data": { "file": "FileRef" } }
            """,
            """
            { "command": "open", "data": { "file": "str" } }
            """), "alternative-removed", "file");
        Assert.Equal(FindingClass.BreakingForSenders, f.Class);
    }

    [Fact]
    public void UnionBranchMembersAreComparedPerBranch()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "enum": "Driver", "data": [ "file", "nbd" ] }
            { "struct": "Base", "data": { "driver": "Driver" } }
            { "struct": "FileOpts", "data": { "filename": "str", "*locking": "bool" } }
            { "struct": "NbdOpts", "data": { "server": "str" } }
            { "union": "Options", "base": "Base", "discriminator": "driver",
              "data": { "file": "FileOpts", "nbd": "NbdOpts" } }
            { "command": "add", "data": "Options", "boxed": true }
            """,
            """
            { "enum": "Driver", "data": [ "file", "nbd" ] }
            { "struct": "Base", "data": { "driver": "Driver" } }
            { "struct": "FileOpts", "data": { "filename": "str" } }
            { "struct": "NbdOpts", "data": { "server": "str", "export": "str" } }
            { "union": "Options", "base": "Base", "discriminator": "driver",
              "data": { "file": "FileOpts", "nbd": "NbdOpts" } }
            { "command": "add", "data": "Options", "boxed": true }
            """);
        Finding removed = Single(findings, "member-removed", "locking");
        Assert.Equal("FileOpts", removed.Definition);
        Assert.Equal("add(arguments){file}.locking", removed.Path);
        Assert.Equal("NbdOpts", Single(findings, "mandatory-member-added", "export").Definition);
    }

    [Fact]
    public void MovingMembersBetweenBaseAndBranchesIsInvisible()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "enum": "Driver", "data": [ "file", "nbd" ] }
            { "struct": "Base", "data": { "driver": "Driver", "*ro": "bool" } }
            { "struct": "FileOpts", "data": { "filename": "str" } }
            { "struct": "NbdOpts", "data": { "server": "str" } }
            { "union": "Options", "base": "Base", "discriminator": "driver",
              "data": { "file": "FileOpts", "nbd": "NbdOpts" } }
            { "command": "add", "data": "Options", "boxed": true }
            """,
            """
            { "enum": "Kind", "data": [ "file", "nbd" ] }
            { "struct": "Common", "data": { "*ro": "bool" } }
            { "struct": "FileOptions", "base": "Common", "data": { "filename": "str" } }
            { "struct": "NbdOptions", "base": "Common", "data": { "server": "str" } }
            { "union": "BlockOptions", "base": { "driver": "Kind" }, "discriminator": "driver",
              "data": { "file": "FileOptions", "nbd": "NbdOptions" } }
            { "command": "add", "data": "BlockOptions", "boxed": true }
            """);
        Assert.True(findings.Count == 0, Dump(findings));
    }

    [Fact]
    public void AllowOobRemovedBreaksSenders()
    {
        Finding f = Single(_t.Compare(
            """{ "command": "cancel", "allow-oob": true }""",
            """{ "command": "cancel" }"""), "allow-oob-removed");
        Assert.Equal(FindingClass.BreakingForSenders, f.Class);
        Assert.Equal("allow-oob", f.Member);
    }

    [Fact]
    public void RecursiveTypesTerminate()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "struct": "Node", "data": { "name": "str", "*children": [ "Node" ] } }
            { "command": "put", "data": { "tree": "Node" } }
            """,
            """
            { "struct": "Node", "data": { "name": "str", "*children": [ "Node" ], "*extra": "int" } }
            { "command": "put", "data": { "tree": "Node" } }
            """);
        Assert.Equal(FindingClass.Compatible, Single(findings, "optional-member-added", "extra").Class);
    }
}
