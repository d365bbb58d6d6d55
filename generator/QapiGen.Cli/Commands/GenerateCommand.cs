using System;
using System.Collections.Generic;
using System.IO;
using QapiGen.Cli.CommandLine;
using QapiGen.CodeGen;
using QapiGen.Schema.Model;
using QapiGen.Schema.Threading;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen generate SCHEMA -o DIR [-D SYMBOL]... [-n NAMESPACE]</c>: writes the C# the source
/// generator would add to a compilation (same files, same text), for users without the generator
/// and for reading the output. -D sets the preprocessor symbols the introspection data is resolved
/// with (<c>-D ALL</c>: every condition true); the rest of the code keeps its <c>#if</c>s. <c>--baseline SCHEMA</c>
/// names an older schema the client must also work with (see docs/version-skew.md). <c>--generate</c> picks a side,
/// <c>--commands</c> / <c>--events</c> a subset (see docs/generator-scope.md), <c>--fd-commands</c> the commands whose
/// client methods take fds (default <c>getfd;add-fd</c>).
/// </summary>
public static class GenerateCommand
{
    public static int Run(string[] args) => VerbRunner.Run(Verbs.Generate, args);

    internal static int Execute(Invocation run)
    {
        ParsedArguments a = run.Args;
        QapiSchema? schema = SchemaLoading.LoadOrReport(a.Positional[0], SchemaLoading.Options(a), run.Err);
        if (schema == null)
        {
            return ExitCodes.Failed;
        }

        BaselineDiff? baseline = null;
        if (a.Value(Verbs.Baseline) is { } baselineFile)
        {
            // Baselines are older schemas, often as shipped: read in the older language too, their
            // doc-comment warnings not this run's business.
            QapiSchema? old = SchemaLoading.LoadOrReport(baselineFile, new QapiGen.Schema.QapiSchemaOptions { Lenient = true }, run.Err, warnings: false);
            if (old == null)
            {
                return ExitCodes.Failed;
            }

            baseline = BaselineDiff.Compute(schema, old, BaselineDiff.NameOf(baselineFile));
        }
        // The choices are checked by the parser, so the scope always parses.
        var generation = new GenerationOptions(GenerationOptions.ParseScope(a.Value(Verbs.GenerateScope))!.Value,
            a.Value(Verbs.Commands), a.Value(Verbs.Events), a.Value(Verbs.FdCommands));
        foreach (string problem in generation.Problems(schema))
        {
            run.Err.WriteLine("warning: " + problem);
        }

        // Both the spec and the files are built on every core (ParallelWork): the output is the same bytes.
        SchemaSpec spec = SpecBuilder.Build(schema, a.Value(Verbs.Namespace) ?? "Qapi", baseline, generation, work => ParallelWork.Run(work));
        StageTimings.Mark("spec");
        string output = a.Value(Verbs.Output)!;
        Defines defines = a.Defines(Verbs.Define);
        Directory.CreateDirectory(output);
        var files = new List<Action>();
        foreach (OutputKind kind in LongestFirst(CodeGenerator.Outputs(spec)))
        {
            string path = Path.Combine(output, CodeGenerator.HintName(spec, kind));
            files.Add(() =>
            {
                // Unbuffered: the writer hands over pieces of tens of kilobytes.
                using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
                CodeGenerator.Emit(spec, kind, defines.IsDefined, file);
            });
        }
        ParallelWork.Run(files);
        StageTimings.Mark("emit and write");

        return ExitCodes.Ok;
    }

    // The outputs by the size of their text for QEMU's schema, largest first: each thread takes the next
    // when it is free, so the JSON code (half of all the text) is started first and the rest fill the
    // other threads meanwhile.
    private static readonly OutputKind[] BySize =
    {
        OutputKind.Json, OutputKind.Commands, OutputKind.Types, OutputKind.Client, OutputKind.Events, OutputKind.Introspection, OutputKind.Support,
    };

    // A kind not in the list (a new output) goes last.
    private static IEnumerable<OutputKind> LongestFirst(IReadOnlyList<OutputKind> kinds) =>
        System.Linq.Enumerable.OrderBy(kinds, k => Array.IndexOf(BySize, k) is int i and >= 0 ? i : BySize.Length);
}
