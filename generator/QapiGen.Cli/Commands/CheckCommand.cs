using System;
using QapiGen.Cli.CommandLine;
using QapiGen.Schema.Model;

namespace QapiGen.Cli.Commands;

/// <summary><c>qapigen check SCHEMA</c>: exit 0 when valid, else print the first error and exit 1.</summary>
public static class CheckCommand
{
    public static int Run(string[] args) => VerbRunner.Run(Verbs.Check, args);

    internal static int Execute(Invocation run)
    {
        QapiSchema? schema = SchemaLoading.LoadOrReport(run.Args.Positional[0], SchemaLoading.Options(run.Args), run.Err);
        return schema == null ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
