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

namespace QapiGen.Generator.Tests;

/// <summary>The whole QEMU v8.2.0 schema (from ../shared) through the generator.</summary>
internal static class Qemu
{
    public static List<(string Path, string Text, bool Main)>? Schema()
    {
        var shared = SharedFactAttribute.SharedDir();
        if (shared == null)
            return null;
        var dir = Path.Combine(shared, "qemu-schemas", "v8.2.0");
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
    [SharedFact]
    public void V820_compiles_with_no_CONFIG_symbols() => Qemu.CompilesCleanly(output, allSymbols: false);
}

public class QemuSchemaAllSymbolsTests(ITestOutputHelper output)
{
    [SharedFact]
    public void V820_compiles_with_every_symbol_defined() => Qemu.CompilesCleanly(output, allSymbols: true);
}

public class QemuSchemaTimingTests(ITestOutputHelper output)
{
    /// <summary>Generator time for the v8.2.0 schema: the driver's own timing, warm (second run on a fresh driver).</summary>
    [SharedFact]
    public void V820_generator_time()
    {
        var files = Qemu.Schema()!;
        var (texts, options) = Harness.Inputs(files);
        var compilation = Harness.Compilation(null, "public class C { }");
        var parse = (CSharpParseOptions)compilation.SyntaxTrees.First().Options;
        var times = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var driver = Harness.Driver(texts, options, parse).RunGenerators(compilation);
            times.Add(driver.GetTimingInfo().ElapsedTime);
        }
        output.WriteLine("generator time (cold, then warm): " + string.Join(", ", times.Select(t => $"{t.TotalMilliseconds:F0} ms")));
        // The target is 300 ms warm; a loaded CI machine gets slack.
        Assert.True(times.Skip(1).Min() < TimeSpan.FromSeconds(3), "warm generator run took " + times.Skip(1).Min());
    }

    /// <summary>Where the generator's time goes (front end, spec, each emitter), warm.</summary>
    [SharedFact]
    public void V820_phase_breakdown()
    {
        var files = Qemu.Schema()!;
        var fs = new QapiGen.Schema.Parsing.InMemorySchemaFileSystem();
        foreach (var f in files)
            fs.Add(f.Path, f.Text);
        var main = files.Single(f => f.Main).Path;
        for (var round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            var schema = QapiGen.Schema.Model.QapiSchema.Load(main, fs);
            var load = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var spec = QapiGen.CodeGen.SpecBuilder.Build(schema, "Qemu", "key");
            var build = sw.Elapsed.TotalMilliseconds;
            var parts = new List<string> { $"load {load:F0}", $"spec {build:F0}" };
            foreach (var kind in QapiGen.CodeGen.CodeGenerator.AllKinds)
            {
                sw.Restart();
                QapiGen.CodeGen.CodeGenerator.Emit(spec, kind, _ => false);
                parts.Add($"{kind} {sw.Elapsed.TotalMilliseconds:F0}");
            }
            output.WriteLine(string.Join(", ", parts) + " (ms)");
        }
    }
}
