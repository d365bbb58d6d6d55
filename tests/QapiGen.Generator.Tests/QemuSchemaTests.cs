using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;
using QapiGen.Tests.Shared;

namespace QapiGen.Generator.Tests;

/// <summary>The whole QEMU v8.2.0 schema (from ../shared) through the generator.</summary>
internal static class Qemu
{
    public static List<(string Path, string Text, bool Main)>? Schema()
    {
        var schemas = RepoPaths.SharedDirectory("qemu-schemas");
        if (schemas == null)
            return null;
        var dir = Path.Combine(schemas, "v8.2.0");
        return Directory.GetFiles(dir, "*.json").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f), Path.GetFileName(f) == "qapi-schema.json")).ToList();
    }

    /// <summary>Every symbol the generated code tests with #if.</summary>
    public static string[] AllSymbols(GeneratorDriverRunResult result) =>
        result.Results.Single().GeneratedSources
            .SelectMany(s => Regex.Matches(s.SourceText.ToString(), @"^#if (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            .SelectMany(e => Regex.Matches(e, @"[A-Za-z_][A-Za-z0-9_]*").Select(m => m.Value))
            .Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();

    public static void CompilesCleanly(ITestOutputHelper output, bool allSymbols)
    {
        var files = Schema()!;
        var (_, generatorDiagnostics, first) = Harness.Run(files);
        Assert.Empty(generatorDiagnostics);
        var symbols = allSymbols ? AllSymbols(first) : Array.Empty<string>();
        var (compilation, diagnostics, result) = Harness.Run(files, symbols);
        Assert.Empty(diagnostics);
        output.WriteLine($"{symbols.Length} symbols defined; {result.Results.Single().GeneratedSources.Length} files, " +
            $"{result.Results.Single().GeneratedSources.Sum(s => s.SourceText.Length) / 1024} KiB generated");
        var sw = Stopwatch.StartNew();
        var problems = Harness.Problems(compilation);
        output.WriteLine($"compiled in {sw.ElapsedMilliseconds} ms");
        Assert.True(problems.Count == 0, problems.Count + " diagnostics:\n" + Harness.Format(problems));
    }
}

public class QemuSchemaNoSymbolsTests(ITestOutputHelper output)
{
    [SharedFact("qemu-schemas")]
    public void V820_compiles_with_no_CONFIG_symbols() => Qemu.CompilesCleanly(output, allSymbols: false);
}

public class QemuSchemaAllSymbolsTests(ITestOutputHelper output)
{
    [SharedFact("qemu-schemas")]
    public void V820_compiles_with_every_symbol_defined() => Qemu.CompilesCleanly(output, allSymbols: true);
}
