using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using QapiGen.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Generator.Tests;

/// <summary>The whole QEMU v8.2.0 schema (from ../shared) through the generator.</summary>
internal static class Qemu
{
    public static List<(string Path, string Text, bool Main)>? Schema(string version = "v8.2.0")
    {
        string? schemas = RepoPaths.SharedDirectory("qemu-schemas");
        if (schemas == null)
        {
            return null;
        }

        string dir = Path.Combine(schemas, version);
        return Directory.GetFiles(dir, "*.json").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f), Path.GetFileName(f) == "qapi-schema.json")).ToList();
    }

    /// <summary>Every symbol the generated code tests with #if.</summary>
    public static string[] AllSymbols(GeneratorDriverRunResult result) =>
        result.Results.Single().GeneratedSources
            .SelectMany(s => Regex.Matches(s.SourceText.ToString(), @"^#if (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            .SelectMany(e => Regex.Matches(e, @"[A-Za-z_][A-Za-z0-9_]*").Select(m => m.Value))
            .Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Generates <paramref name="version"/> and compiles it: no diagnostic but, with
    /// <paramref name="properties"/> opting into leniency, its own QAPI0101 warnings (returned).
    /// </summary>
    public static List<Diagnostic> CompilesCleanly(ITestOutputHelper output, bool allSymbols, string version = "v8.2.0",
        IReadOnlyDictionary<string, string>? properties = null)
    {
        List<(string Path, string Text, bool Main)> files = Schema(version)!;
        (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result) run = Harness.Run(files, properties: properties);
        var tolerated = run.GeneratorDiagnostics.Where(d => d.Id == "QAPI0101").ToList();
        Assert.True(tolerated.Count == run.GeneratorDiagnostics.Length, Harness.Format(run.GeneratorDiagnostics.Where(d => d.Id != "QAPI0101")));
        string[] symbols = allSymbols ? AllSymbols(run.Result) : Array.Empty<string>();
        if (allSymbols)
        {
            run = Harness.Run(files, symbols, properties: properties);
        }

        (Compilation? compilation, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult? result) = run;
        Assert.Equal(tolerated.Count, diagnostics.Length);
        output.WriteLine($"{symbols.Length} symbols defined; {result.Results.Single().GeneratedSources.Length} files, " +
            $"{result.Results.Single().GeneratedSources.Sum(s => s.SourceText.Length) / 1024} KiB generated");
        var sw = Stopwatch.StartNew();
        List<Diagnostic> problems = Harness.Problems(compilation);
        output.WriteLine($"compiled in {sw.ElapsedMilliseconds} ms");
        Assert.True(problems.Count == 0, problems.Count + " diagnostics:\n" + Harness.Format(problems));
        return tolerated;
    }
}

public class QemuSchemaNoSymbolsTests(ITestOutputHelper output)
{
    [SharedFact("qemu-schemas")]
    public void V820CompilesWithNoCONFIGSymbols() => Qemu.CompilesCleanly(output, allSymbols: false);
}

public class QemuSchemaAllSymbolsTests(ITestOutputHelper output)
{
    [SharedFact("qemu-schemas")]
    public void V820WithBaselineV7050CompilesWithEverySymbolDefined()
    {
        // The build the live tests load (the probe compiled in too), so the v8.2.0 schema is compiled once:
        // a client for every server from v7.0.50 on, so with baseline v7.0.50.
        QemuBuild build = QemuBuilds.AllSymbolsWithProbe("v8.2.0", baseline: "v7.0.50");
        output.WriteLine(build.Summary);
        Assert.Empty(build.Tolerated);
        Assert.True(build.Problems.Count == 0, build.Problems.Count + " diagnostics:\n" + Harness.Format(build.Problems));
        Assert.NotNull(build.Assembly);
    }
}

/// <summary>
/// Older QEMU schemas as shipped: v6.2.0 and v7.0.50 have doc-comment problems QEMU itself built with
/// (lenient docs), v5.2.0 and v6.0.0 are in QEMU's older language too (lenient). Each generates, with
/// only its QAPI0101 warnings, and compiles with no diagnostic.
/// </summary>
public class QemuOlderSchemaTests(ITestOutputHelper output)
{
    [SharedTheory("qemu-schemas")]
    [InlineData("v6.2.0", "QapiLenientDocs")]
    [InlineData("v7.0.50", "QapiLenientDocs")]
    [InlineData("v6.0.0", "QapiLenient")]
    [InlineData("v5.2.0", "QapiLenient")]
    public void OlderSchemaGeneratesAndCompilesAsShipped(string version, string property)
    {
        List<Diagnostic> tolerated;
        if (version == "v6.2.0")
        {
            // The build the live tests load: every symbol, the probe compiled in.
            QemuBuild build = QemuBuilds.AllSymbolsWithProbe(version, property);
            output.WriteLine(build.Summary);
            Assert.True(build.Problems.Count == 0, build.Problems.Count + " diagnostics:\n" + Harness.Format(build.Problems));
            tolerated = build.Tolerated;
        }
        else
        {
            tolerated = Qemu.CompilesCleanly(output, allSymbols: false, version, new Dictionary<string, string> { [property] = "true" });
        }
        output.WriteLine($"{tolerated.Count} QAPI0101 warnings");
        Assert.NotEmpty(tolerated);
        Assert.All(tolerated, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
    }
}
