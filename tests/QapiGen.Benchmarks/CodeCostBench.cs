using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using QapiGen.CodeGen;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Benchmarks;

/// <summary>
/// <c>cost</c>: what generated code costs its consumer. Generates a schema (QEMU v8.2.0 when ../shared is
/// present) once per configuration, reports the bytes of every file, and compiles the files in-process
/// with Roslyn against the references a consumer's build has (the targeting pack's reference assemblies
/// and QapiGen.Runtime), reporting the compile time (parse, bind and emit to a null stream: what
/// <c>csc</c> does for these files) as CPU time, the least of the runs. Every configuration is compared with the first (<c>All</c>) of the
/// same run, so a change to an emitter shows its cost as ratios measured under the same load.
/// </summary>
public static class CodeCostBench
{
    public const string Usage = "usage: QapiGen.Benchmarks cost [--schema DIR] [--runs N] [--only NAME]... [--no-compile] [--out DIR]\n" +
        "configurations: All (first: the others' ratios are to it), Client, Server, Types, 'Client block', 'Server block' (Commands=\"" + BlockCommands + "\")";

    /// <summary>One thing to measure: a name and how the spec is built.</summary>
    private sealed record Config(string Name, Func<QapiSchema, SchemaSpec> Build);

    private static IReadOnlyList<Config> Configs() => new[]
    {
        new Config("All", s => SpecBuilder.Build(s, "Qemu")),
        new Config("Client", s => SpecBuilder.Build(s, "Qemu", options: new GenerationOptions(GenerationScope.Client))),
        new Config("Server", s => SpecBuilder.Build(s, "Qemu", options: new GenerationOptions(GenerationScope.Server))),
        new Config("Types", s => SpecBuilder.Build(s, "Qemu", options: new GenerationOptions(GenerationScope.Types))),
        new Config("Client block", s => SpecBuilder.Build(s, "Qemu", options: new GenerationOptions(GenerationScope.Client, BlockCommands))),
        new Config("Server block", s => SpecBuilder.Build(s, "Qemu", options: new GenerationOptions(GenerationScope.Server, BlockCommands))),
    };

    /// <summary>The subset of the targets: a tool that manages block devices.</summary>
    private const string BlockCommands = "query-block*;blockdev-*";

    public static int Run(string[] args)
    {
        string dir = BenchmarkPaths.LargeSchemaDirectory;
        int runs = 3;
        bool compile = true;
        var only = new List<string>();
        string? outDir = null;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--schema" when i + 1 < args.Length: dir = args[++i]; break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--only" when i + 1 < args.Length: only.Add(args[++i]); break;
                case "--no-compile": compile = false; break;
                case "--out" when i + 1 < args.Length: outDir = args[++i]; break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        var fs = new InMemorySchemaFileSystem();
        foreach (string file in Directory.GetFiles(dir, "*.json"))
        {
            fs.Add(Path.GetFileName(file), File.ReadAllText(file));
        }

        var schema = QapiSchema.Load("qapi-schema.json", fs);
        IReadOnlyList<MetadataReference> references = References();
        Console.WriteLine($"schema: {dir}; {references.Count} references; compile runs per configuration: {(compile ? runs : 0)}; compile time is the least CPU time (user + system, both cores) of the runs: CPU time, unlike wall time, hardly grows when other jobs share the machine");

        var configs = Configs().Where(c => only.Count == 0 || only.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (compile)
        {
            // Roslyn's own code is JIT-compiled on first use: one untimed compile of a small output first.
            var warm = CodeGenerator.EmitAll(SpecBuilder.Build(schema, "Qemu"), _ => false).Where(s => s.HintName.EndsWith(".Support.g.cs", StringComparison.Ordinal)).ToList();
            Compile(warm, references);
        }
        var rows = new List<(string Name, long Bytes, double Ms)>();
        foreach (Config config in configs)
        {
            IReadOnlyList<GeneratedSource> sources = CodeGenerator.EmitAll(config.Build(schema), _ => false);
            long bytes = sources.Sum(s => (long)System.Text.Encoding.UTF8.GetByteCount(s.Text));
            Console.WriteLine();
            Console.WriteLine($"== {config.Name}: {sources.Count} files, {bytes:N0} bytes");
            foreach (GeneratedSource s in sources)
            {
                Console.WriteLine($"   {s.HintName,-34} {System.Text.Encoding.UTF8.GetByteCount(s.Text),12:N0} bytes {s.Text.Count(ch => ch == '\n'),9:N0} lines");
                if (outDir != null)
                {
                    // --out keeps the files, one folder per configuration, to see where the bytes are.
                    string folder = Path.Combine(outDir, config.Name.Replace(' ', '-'));
                    Directory.CreateDirectory(folder);
                    File.WriteAllText(Path.Combine(folder, s.HintName), s.Text);
                }
            }

            double ms = double.NaN;
            if (compile)
            {
                var cpus = new List<double>();
                for (int r = 0; r < runs; r++)
                {
                    (double elapsed, double cpu, List<Diagnostic> problems) = Compile(sources, references);
                    cpus.Add(cpu);
                    Console.WriteLine($"   compile {r + 1}: {elapsed:F0} ms wall, {cpu:F0} ms CPU, {problems.Count} errors and warnings");
                    if (problems.Count > 0)
                    {
                        Console.WriteLine($"   first: {problems[0]}");
                    }
                }
                ms = cpus.Min();
            }
            rows.Add((config.Name, bytes, ms));
        }

        Console.WriteLine();
        Console.WriteLine("| configuration | bytes | % of first | compile CPU ms | % of first |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach ((string Name, long Bytes, double Ms) row in rows)
        {
            double b = 100.0 * row.Bytes / rows[0].Bytes;
            double t = 100.0 * row.Ms / rows[0].Ms;
            Console.WriteLine($"| {row.Name} | {row.Bytes:N0} | {b:F1} % | {(double.IsNaN(row.Ms) ? "-" : row.Ms.ToString("F0", System.Globalization.CultureInfo.InvariantCulture))} | {(double.IsNaN(t) ? "-" : t.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " %")} |");
        }
        return 0;
    }

    /// <summary>Parses and compiles <paramref name="sources"/> as a consumer's library; returns the time and its errors and warnings.</summary>
    private static (double Ms, double CpuMs, List<Diagnostic> Problems) Compile(IReadOnlyList<GeneratedSource> sources, IReadOnlyList<MetadataReference> references)
    {
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, path: s.HintName)).ToList();
        var compilation = CSharpCompilation.Create("Consumer", trees, references,
            new CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Debug, concurrentBuild: true));
        EmitResult result = compilation.Emit(Stream.Null);
        sw.Stop();
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        return (sw.Elapsed.TotalMilliseconds, cpuMs, problems);
    }

    /// <summary>
    /// The references of a consumer's build: the reference assemblies of the targeting pack of the running
    /// framework (what <c>csc</c> gets from the SDK), else the running framework's own assemblies; and QapiGen.Runtime.
    /// </summary>
    private static IReadOnlyList<MetadataReference> References()
    {
        Version version = Environment.Version;
        string dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        string tfm = $"net{version.Major}.{version.Minor}";
        string? refDir = Directory.Exists(packs)
            ? Directory.GetDirectories(packs).Select(d => Path.Combine(d, "ref", tfm)).Where(Directory.Exists).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        IEnumerable<string> paths = refDir != null
            ? Directory.GetFiles(refDir, "*.dll")
            : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        var refs = paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        refs.Add(MetadataReference.CreateFromFile(typeof(QapiGen.Runtime.Protocol.IQmpDispatcher).Assembly.Location));
        return refs;
    }
}
