using System;
using System.Collections.Generic;
using QapiGen.Compat;
using Xunit;
using static QapiGen.Compat.Tests.FindingAsserts;

namespace QapiGen.Compat.Tests;

/// <summary>Removal or change of what was marked deprecated or unstable is reported as covered, not as breakage.</summary>
public sealed class FeatureCoverTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public void RemovingADeprecatedCommandIsCovered()
    {
        Finding f = Single(_t.Compare(
            """{ "command": "old-cmd", "features": [ "deprecated" ] } { "command": "ping" }""",
            """{ "command": "ping" }"""), "command-removed");
        Assert.Equal(FindingClass.CoveredByFeature, f.Class);
        Assert.Contains("deprecated", f.Reason);
    }

    [Fact]
    public void RemovingAnUnstableMemberIsCovered()
    {
        Finding f = Single(_t.Compare(
            """{ "struct": "Info", "data": { "id": "str", "hint": { "type": "str", "features": [ "unstable" ] } } } { "command": "q", "returns": "Info" }""",
            """{ "struct": "Info", "data": { "id": "str" } } { "command": "q", "returns": "Info" }"""), "member-removed", "hint");
        Assert.Equal(FindingClass.CoveredByFeature, f.Class);
    }

    [Fact]
    public void ChangesBelowADeprecatedCommandAreCovered()
    {
        Finding f = Single(_t.Compare(
            """{ "command": "legacy", "data": { "a": "str" }, "features": [ "deprecated" ] }""",
            """{ "command": "legacy", "data": { "a": "str", "b": "str" }, "features": [ "deprecated" ] }"""), "mandatory-member-added", "b");
        Assert.Equal(FindingClass.CoveredByFeature, f.Class);
    }

    [Fact]
    public void RemovingADeprecatedEnumValueIsCovered()
    {
        Finding f = Single(_t.Compare(
            """{ "enum": "Mode", "data": [ "a", { "name": "b", "features": [ "deprecated" ] } ] } { "command": "set", "data": { "m": "Mode" } }""",
            """{ "enum": "Mode", "data": [ "a" ] } { "command": "set", "data": { "m": "Mode" } }"""), "value-removed", "b");
        Assert.Equal(FindingClass.CoveredByFeature, f.Class);
    }

    [Fact]
    public void ExperimentalXNamesAreCovered()
    {
        Finding f = Single(_t.Compare("""{ "command": "x-debug" } { "command": "ping" }""", """{ "command": "ping" }"""), "command-removed");
        Assert.Equal(FindingClass.CoveredByFeature, f.Class);
        Assert.Contains("x-", f.Reason);
    }

    [Fact]
    public void ATypeSharedWithANormalCommandIsStillBreaking()
    {
        IReadOnlyList<Finding> findings = _t.Compare(
            """
            { "struct": "Opts", "data": { "a": "str", "b": "str" } }
            { "command": "legacy", "data": { "o": "Opts" }, "features": [ "deprecated" ] }
            { "command": "modern", "data": { "o": "Opts" } }
            """,
            """
            { "struct": "Opts", "data": { "a": "str" } }
            { "command": "legacy", "data": { "o": "Opts" }, "features": [ "deprecated" ] }
            { "command": "modern", "data": { "o": "Opts" } }
            """);
        Assert.Equal(FindingClass.BreakingForSenders, Single(findings, "member-removed", "b").Class);
    }

    [Fact]
    public void NewlyDeprecatedIsCompatible()
    {
        Finding f = Single(_t.Compare("""{ "command": "ping" }""", """{ "command": "ping", "features": [ "deprecated" ] }"""), "now-deprecated");
        Assert.Equal(FindingClass.Compatible, f.Class);
    }
}
