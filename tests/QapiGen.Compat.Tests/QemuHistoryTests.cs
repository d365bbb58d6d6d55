using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QapiGen.Schema.Introspection;
using QapiGen.Tests.Shared;
using Xunit;
using Xunit.Abstractions;
using static QapiGen.Compat.Tests.FindingAsserts;

namespace QapiGen.Compat.Tests;

/// <summary>
/// The real history of QEMU's schema (../shared/qemu-schemas): every consecutive pair compares,
/// a version compared with itself and with its own introspection shows nothing, and changes
/// checked by hand against the schemas are found with the right classification.
/// </summary>
public sealed class QemuHistoryTests
{
    private static readonly string[] Versions = { "v5.2.0", "v6.0.0", "v6.2.0", "v7.0.50", "v8.2.0" };

    // v5.2.0 and v6.0.0 use the older language; lenient is harmless for the others.
    private static readonly Dictionary<string, SchemaSnapshot> Cache = new();

    private readonly ITestOutputHelper _output;

    public QemuHistoryTests(ITestOutputHelper output) => _output = output;

    private static SchemaSnapshot Load(string version)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(version, out SchemaSnapshot? snapshot))
            {
                Cache[version] = snapshot = SchemaSnapshotLoader.Load(SharedData.Schema(version), lenient: true);
            }

            return snapshot;
        }
    }

    public static IEnumerable<object[]> Pairs()
        => Versions.Zip(Versions.Skip(1), (a, b) => new object[] { a, b });

    public static IEnumerable<object[]> Each() => Versions.Select(v => new object[] { v });

    [SharedTheory(SharedData.QemuSchemas)]
    [MemberData(nameof(Pairs))]
    public void ConsecutiveVersionsCompare(string old, string @new)
    {
        IReadOnlyList<Finding> findings = CompatChecker.Compare(Load(old), Load(@new));
        int senders = findings.Count(f => f.Class == FindingClass.BreakingForSenders);
        int readers = findings.Count(f => f.Class == FindingClass.BreakingForReaders);
        _output.WriteLine($"{old} -> {@new}: {senders} breaking for senders, {readers} breaking for readers, "
            + $"{findings.Count(f => f.Class == FindingClass.CoveredByFeature)} covered, {findings.Count(f => f.Class == FindingClass.Compatible)} compatible");
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.False(string.IsNullOrEmpty(f.Definition)));
        Assert.All(findings.Where(f => f.Kind.Contains("member")), f => Assert.NotNull(f.Member));
    }

    [SharedTheory(SharedData.QemuSchemas)]
    [MemberData(nameof(Each))]
    public void AVersionComparedWithItselfShowsNothing(string version)
    {
        IReadOnlyList<Finding> findings = CompatChecker.Compare(Load(version), Load(version));
        Assert.True(findings.Count == 0, Dump(findings));
    }

    [SharedTheory(SharedData.QemuSchemas)]
    [MemberData(nameof(Each))]
    public void ASchemaAndItsOwnIntrospectionShowNothing(string version)
    {
        SchemaSnapshot schema = Load(version);
        string json = SchemaInfoJson.WriteReply(schema.Entries);
        var reply = new SchemaSnapshot(version + " introspection", IntrospectionReader.Read(json, version), fromSchema: false);
        IReadOnlyList<Finding> findings = CompatChecker.Compare(schema, reply);
        Assert.True(findings.Count == 0, Dump(findings));
        findings = CompatChecker.Compare(reply, schema);
        Assert.True(findings.Count == 0, Dump(findings));
    }

    // Each of these was checked by hand against the two schema files.

    [SharedFact(SharedData.QemuSchemas)]
    public void V52ToV60BlockPasswdRemovedAndMigrationParametersNarrowed()
    {
        IReadOnlyList<Finding> findings = CompatChecker.Compare(Load("v5.2.0"), Load("v6.0.0"));
        Assert.Contains(findings, f => f.Kind == "command-removed" && f.Definition == "block_passwd" && f.Class == FindingClass.BreakingForSenders
            && f.OldLocation!.ToString().EndsWith("block-core.json:1281", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Definition == "MigrateSetParameters" && f.Member == "compress-level"
            && f.Kind == "type-narrowed" && f.Class == FindingClass.BreakingForSenders);
        Assert.Contains(findings, f => f.Definition == "object-add" && f.Member == "props" && f.Kind == "member-removed");
        Assert.Contains(findings, f => f.Definition == "query-cpus" && f.Class == FindingClass.CoveredByFeature);
    }

    [SharedFact(SharedData.QemuSchemas)]
    public void V60ToV62SheepdogAndDesRfbRemoved()
    {
        IReadOnlyList<Finding> findings = CompatChecker.Compare(Load("v6.0.0"), Load("v6.2.0"));
        // BlockdevDriver is reached both ways: breaking for senders, harmless for readers.
        Assert.Contains(findings, f => f.Member == "sheepdog" && f.Kind == "value-removed" && f.Definition == "BlockdevDriver"
            && f.Direction == Direction.Input && f.Class == FindingClass.BreakingForSenders);
        Assert.Contains(findings, f => f.Member == "sheepdog" && f.Kind == "value-removed"
            && f.Direction == Direction.Output && f.Class == FindingClass.Compatible);
        Assert.Contains(findings, f => f.Member == "des-rfb" && f.Definition == "QCryptoCipherAlgorithm" && f.Class == FindingClass.BreakingForSenders);
        Assert.Equal(FindingClass.CoveredByFeature, Single(findings, "member-removed", "blocked").Class);
    }

    [SharedFact(SharedData.QemuSchemas)]
    public void V62ToV70SetPasswordProtocolBecameAnEnum()
    {
        IReadOnlyList<Finding> findings = CompatChecker.Compare(Load("v6.2.0"), Load("v7.0.50"));
        Finding f = findings.Single(x => x.Kind == "type-narrowed" && x.Member == "protocol" && x.Definition == "set_password");
        Assert.Equal(FindingClass.BreakingForSenders, f.Class);
        Assert.Contains("to enum DisplayProtocol", f.Message);
        Assert.Contains(findings, x => x.Member == "graph-mod" && x.Definition == "BlockPermission" && x.Class == FindingClass.BreakingForSenders);
    }

    [SharedFact(SharedData.QemuSchemas)]
    public void V70ToV82DeprecatedSgxSectionSizeRemoved()
    {
        IReadOnlyList<Finding> findings = CompatChecker.Compare(Load("v7.0.50"), Load("v8.2.0"));
        Finding f = Single(findings, "member-removed", "section-size");
        Assert.Equal(FindingClass.CoveredByFeature, f.Class);
        Assert.Equal("SGXInfo", f.Definition);
        Assert.Equal(Direction.Output, f.Direction);
        Assert.Equal(FindingClass.CoveredByFeature, Single(findings, "command-removed").Class); // x-query-profile, unstable
    }
}
