using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Dump;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
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
    /// <summary>Runs one case; returns (dump, error) as the reference's test driver would print them.</summary>
    public static (string Out, string Err) RunCase(string dir, string name)
    {
        var fs = new RootedFileSystem(dir);
        try
        {
            var schema = QapiSchema.Load(name + ".json", fs);
            return (SchemaDumper.Dump(schema), "");
        }
        catch (QapiError e)
        {
            return ("", e + "\n");
        }
    }

    public static IEnumerable<object[]> Cases()
    {
        var dir = RepoPaths.SharedDirectory(SuiteDir);
        if (dir == null)
            return new[] { new object[] { "(absent)" } };
        return Directory.GetFiles(dir, "*.out")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new object[] { n });
    }

    [SharedTheory(SuiteDir)]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        var dir = RepoPaths.SharedDirectory(SuiteDir)!;
        var (actualOut, actualErr) = RunCase(dir, name);
        var expectedOut = File.ReadAllText(Path.Combine(dir, name + ".out"));
        var errPath = Path.Combine(dir, name + ".err");
        var expectedErr = File.Exists(errPath) ? File.ReadAllText(errPath) : "";
        Assert.Equal(expectedErr, actualErr);
        Assert.Equal(expectedOut, actualOut);
    }

    [SharedFact("qemu-schemas")]
    public void QemuV820DumpMatchesReference()
    {
        var dir = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0");
        var schema = QapiSchema.Load("qapi-schema.json", new RootedFileSystem(dir));
        var actual = SchemaDumper.Dump(schema);
        var expected = File.ReadAllText(Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0.out"));
        var actualLines = actual.Split('\n');
        var expectedLines = expected.Split('\n');
        for (var i = 0; i < Math.Min(actualLines.Length, expectedLines.Length); i++)
        {
            if (actualLines[i] != expectedLines[i])
                Assert.Fail($"line {i + 1} differs:\n  expected: {expectedLines[i]}\n  actual:   {actualLines[i]}");
        }
        Assert.Equal(expectedLines.Length, actualLines.Length);
        Assert.Equal(expected, actual);
    }
}
