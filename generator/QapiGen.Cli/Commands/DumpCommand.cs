using System;
using System.IO;
using QapiGen.Cli.CommandLine;
using QapiGen.Schema.Dump;
using QapiGen.Schema.Model;

namespace QapiGen.Cli.Commands;

/// <summary><c>qapigen dump SCHEMA</c>: the resolved model in the reference test suite's <c>.out</c> format.</summary>
public static class DumpCommand
{
    public static int Run(string[] args) => VerbRunner.Run(Verbs.Dump, args);

    internal static int Execute(Invocation run)
    {
        QapiSchema? schema = SchemaLoading.LoadOrReport(run.Args.Positional[0], SchemaLoading.Options(run.Args), run.Err);
        if (schema == null)
        {
            return ExitCodes.Failed;
        }
        // Raw UTF-8 without BOM, so the output compares byte for byte with .out files; written in
        // pieces as it is made, so the 1 MB dump of QEMU's schema is never held whole (fresh memory
        // is most of a short run's cost).
        using Stream stdout = Console.OpenStandardOutput();
        SchemaDumper.Dump(schema, stdout);
        StageTimings.Mark("dump");
        return ExitCodes.Ok;
    }
}
