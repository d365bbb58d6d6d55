using System;
using System.Collections.Generic;
using QapiGen.Cli.Commands;

namespace QapiGen.Cli;

/// <summary>The <c>qapigen</c> tool: one verb per job, each in its own file under Commands/.</summary>
public static class Program
{
    private static readonly Dictionary<string, (Func<string[], int> Run, string Usage)> Verbs = new()
    {
        ["check"] = (CheckCommand.Run, "check SCHEMA [--lenient-docs]        validate a schema; print the first error"),
        ["dump"] = (DumpCommand.Run, "dump SCHEMA [--lenient-docs]         print the resolved model (.out format)"),
        ["generate"] = (GenerateCommand.Run, "generate SCHEMA -o DIR [-D SYM]... [-n NS] [--lenient-docs | --lenient]\n" +
                        "         [--generate all|client|server|types] [--commands GLOBS] [--events GLOBS]\n" +
                        "                                       write the C# the source generator emits"),
        ["introspect"] = (IntrospectCommand.Run, "introspect SCHEMA [-D SYM]... [-u]\n" +
                          "                                       print the query-qmp-schema reply (-D ALL: every condition)"),
        ["compat"] = (CompatCommand.Run, "compat OLD NEW | --against REF NEW [--format F] [--config FILE] [-D SYM]... [--all] [--lenient]\n" +
                      "                                       report incompatible changes between two versions (a CI gate)"),
        ["doc"] = (DocCommand.Run, "doc SCHEMA -o DIR [--format html|markdown] [-D SYM]... [--lenient] [--templates DIR]\n" +
                   "                                       write the schema's reference manual"),
        ["render"] = (RenderCommand.Run, "render --template FILE... SCHEMA -o DIR [-D SYM]... [--lenient]\n" +
                      "                                       render user Scriban templates over the schema model"),
        ["conformance"] = (ConformanceCommand.Run, "conformance DIR [--known FILE]       run a QAPI test-suite directory"),
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        if (!Verbs.TryGetValue(args[0], out var verb))
        {
            Console.Error.WriteLine($"qapigen: unknown command '{args[0]}'");
            PrintUsage(Console.Error);
            return ExitCodes.Usage;
        }
        var rest = new string[args.Length - 1];
        Array.Copy(args, 1, rest, 0, rest.Length);
        try
        {
            return verb.Run(rest);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"qapigen {args[0]}: {e.Message}");
            Console.Error.WriteLine($"usage: qapigen {verb.Usage}");
            return ExitCodes.Usage;
        }
    }

    private static void PrintUsage(System.IO.TextWriter w)
    {
        w.WriteLine("usage: qapigen COMMAND [ARGS]");
        w.WriteLine();
        foreach (var kv in Verbs)
            w.WriteLine("  " + kv.Value.Usage);
    }
}
