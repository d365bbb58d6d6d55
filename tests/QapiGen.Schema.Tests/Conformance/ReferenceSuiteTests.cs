using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QapiGen.Cli.Conformance;
using QapiGen.Schema.Dump;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests.Conformance;

/// <summary>
/// The reference front end's own test suite (<c>../shared/qapi-schema-tests</c>): for every
/// <c>NAME.json</c> with a <c>NAME.out</c>, the dump must equal <c>NAME.out</c> and the error text
/// <c>NAME.err</c>, with file names relative to the test directory as the reference prints them.
/// </summary>
public class ReferenceSuiteTests
{
    private const string SuiteDir = "qapi-schema-tests";

    /// <summary>The cases listed in tests/conformance/known-differences.txt, with their reasons.</summary>
    private static KnownDifferences Known
        => KnownDifferences.Load(Path.Combine(RepoPaths.Root, "tests", "conformance", "known-differences.txt"));

    public static IEnumerable<object[]> Cases()
    {
        string? dir = RepoPaths.SharedDirectory(SuiteDir);
        if (dir == null)
        {
            return new[] { new object[] { "(absent)" } };
        }

        return ConformanceRunner.CaseNames(dir).Where(n => !Known.Reasons.ContainsKey(n)).Select(n => new object[] { n });
    }

    [SharedTheory(SuiteDir)]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        ConformanceCase c = ConformanceRunner.RunCase(RepoPaths.SharedDirectory(SuiteDir)!, name);
        Assert.Equal(c.ExpectedErr, c.ActualErr);
        Assert.Equal(c.ExpectedOut, c.ActualOut);
        Assert.Equal(ConformanceOutcome.Passed, c.Outcome);
    }

    /// <summary>Exactly the listed cases differ: a new difference fails, and so does a listed case that passes.</summary>
    [SharedFact(SuiteDir)]
    public void OnlyTheListedKnownDifferencesDiffer()
    {
        List<ConformanceCase> results = ConformanceRunner.Run(RepoPaths.SharedDirectory(SuiteDir)!);
        var differing = results.Where(c => c.Outcome != ConformanceOutcome.Passed).Select(c => c.Name).ToList();
        Assert.Equal(Known.Reasons.Keys.OrderBy(n => n, StringComparer.Ordinal), differing);
        Assert.Equal(149, results.Count);
    }

    [SharedFact("qemu-schemas")]
    public void QemuV820DumpMatchesReference()
    {
        string dir = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0");
        var schema = QapiSchema.Load("qapi-schema.json", new RootedFileSystem(dir));
        string actual = SchemaDumper.Dump(schema);
        string expected = File.ReadAllText(Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0.out"));
        string[] actualLines = actual.Split('\n');
        string[] expectedLines = expected.Split('\n');
        for (int i = 0; i < Math.Min(actualLines.Length, expectedLines.Length); i++)
        {
            if (actualLines[i] != expectedLines[i])
            {
                Assert.Fail($"line {i + 1} differs:\n  expected: {expectedLines[i]}\n  actual:   {actualLines[i]}");
            }
        }
        Assert.Equal(expectedLines.Length, actualLines.Length);
        Assert.Equal(expected, actual);
    }
}
