using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using QapiGen.CodeGen;
using QapiGen.Schema;
using QapiGen.Tests.Shared;

namespace QapiGen.Generator.Tests;

/// <summary>A QEMU schema generated with every symbol defined, with the live probe, compiled to an assembly.</summary>
/// <param name="Tolerated">The generator's QAPI0101 warnings (lenient builds).</param>
/// <param name="Problems">Every other diagnostic of the generator and the compilation (warnings and errors).</param>
/// <param name="Assembly">The image, when it compiled.</param>
/// <param name="Spec">The spec the probe was written from.</param>
/// <param name="Summary">Sizes and times, for the test output.</param>
internal sealed record QemuBuild(List<Diagnostic> Tolerated, List<Diagnostic> Problems, byte[]? Assembly, SchemaSpec Spec, string Summary);

/// <summary>
/// Builds of the big QEMU schemas, each made once per test run and shared by the tests that need
/// it (compiling v8.2.0's 6.7 MB of C# costs about a minute): the compile-cleanly tests read its
/// diagnostics, the live tests load its assembly.
/// </summary>
internal static class QemuBuilds
{
    private static readonly ConcurrentDictionary<string, Lazy<QemuBuild>> Builds = new();

    /// <summary>
    /// The build of <paramref name="version"/> (lenient docs, or lenient, as <paramref name="leniency"/> names: "",
    /// "QapiLenientDocs", "QapiLenient"), with the older version <paramref name="baseline"/> as its baseline if given.
    /// </summary>
    public static QemuBuild AllSymbolsWithProbe(string version, string leniency = "", string? baseline = null) =>
        Builds.GetOrAdd(version + "/" + leniency + "/" + baseline, _ => new Lazy<QemuBuild>(() => Build(version, leniency, baseline))).Value;

    private static QemuBuild Build(string version, string leniency, string? baseline)
    {
        var sw = Stopwatch.StartNew();
        List<(string Path, string Text, bool Main)> files = Qemu.Schema(version)!;
        Dictionary<string, string>? properties = leniency.Length == 0 ? null : new Dictionary<string, string> { [leniency] = "true" };
        var options = new QapiSchemaOptions { LenientDocs = leniency == "QapiLenientDocs", Lenient = leniency == "QapiLenient" };
        var schema = QapiGen.Schema.Model.QapiSchema.Load(files.Single(f => f.Main).Path, null, options);
        Dictionary<string, string>? metadata = null;
        BaselineDiff? diff = null;
        if (baseline != null)
        {
            List<(string Path, string Text, bool Main)> baselineFiles = Qemu.Schema(baseline)!;
            string baselineMain = baselineFiles.Single(f => f.Main).Path;
            files = [.. files, .. baselineFiles.Select(f => (f.Path, f.Text, false))];
            metadata = new Dictionary<string, string> { ["QapiBaseline"] = baselineMain };
            diff = BaselineDiff.Compute(schema, QapiGen.Schema.Model.QapiSchema.Load(baselineMain, null, new QapiSchemaOptions { Lenient = true }), BaselineDiff.NameOf(baselineMain));
        }
        SchemaSpec spec = SpecBuilder.Build(schema, "Test.Qapi", diff);
        string probe = LiveProbeSource.For(spec);

        (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result) first = Harness.Run(files, properties: properties, mainMetadata: metadata);
        string[] symbols = Qemu.AllSymbols(first.Result);
        (Compilation? compilation, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult? result) = Harness.Run(files, symbols, probe, properties: properties, mainMetadata: metadata);
        var tolerated = generatorDiagnostics.Where(d => d.Id == "QAPI0101").ToList();
        var problems = generatorDiagnostics.Where(d => d.Id != "QAPI0101").ToList();
        long generated = sw.ElapsedMilliseconds;
        using var image = new MemoryStream();
        EmitResult emit = compilation.Emit(image);
        problems.AddRange(emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        string summary = $"{version}{(baseline == null ? "" : " with baseline " + baseline)}: {symbols.Length} symbols, {result.Results.Single().GeneratedSources.Sum(s => s.SourceText.Length) / 1024} KiB generated " +
            $"in {generated} ms, compiled and emitted in {sw.ElapsedMilliseconds - generated} ms; {tolerated.Count} QAPI0101 warnings";
        return new QemuBuild(tolerated, problems, emit.Success ? image.ToArray() : null, spec, summary);
    }
}
