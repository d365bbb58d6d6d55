using System;
using System.Reflection;
using QapiGen.Cli.CommandLine;

namespace QapiGen.Cli;

/// <summary>
/// The <c>qapigen</c> tool: one verb per job, each in its own file under Commands/, all described in
/// <see cref="Verbs"/> and run by <see cref="VerbRunner"/> with one convention (docs/cli.md).
/// </summary>
public static class Program
{
    /// <summary>
    /// The first generation's budget, the <c>GCgen0size</c> of the native executable (QapiGen.Cli.csproj):
    /// what a run allocates before it would first collect, and so what is worth backing with huge pages
    /// (a test holds the two equal).
    /// </summary>
    internal const long YoungGenerationBytes = 64 << 20;

    public static int Main(string[] args)
    {
        StageTimings.Start();
        StageTimings.HugePageBytes = HugePageHeap.Prepare(YoungGenerationBytes);
        StageTimings.Mark("huge pages");

        try
        {
            return Run(args);
        }
        finally
        {
            StageTimings.Report(Console.Error);
        }
    }

    private static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            HelpText.WriteOverview(Console.Error);
            return ExitCodes.Usage;
        }
        string name = args[0];
        if (name is "-h" or "--help" or "help")
        {
            // qapigen help VERB: the verb's own help.
            VerbSpec? about = args.Length > 1 ? Verbs.Find(args[1]) : null;
            if (about != null)
            {
                HelpText.WriteVerb(about, Console.Out);
            }
            else
            {
                HelpText.WriteOverview(Console.Out);
            }

            return ExitCodes.Ok;
        }
        if (name is "--version" or "-V")
        {
            Console.Out.WriteLine("qapigen " + Version);
            return ExitCodes.Ok;
        }
        VerbSpec? verb = Verbs.Find(name);
        if (verb == null)
        {
            string what = name.StartsWith("-", StringComparison.Ordinal) ? "option" : "command";
            string near = name.StartsWith("-", StringComparison.Ordinal)
                ? Suggestions.DidYouMean(name, ["--help", "--version"])
                : Suggestions.DidYouMean(name, HelpText.VerbNames());
            Console.Error.WriteLine($"qapigen: unknown {what} '{name}'{near}");
            Console.Error.WriteLine("Try 'qapigen --help' for the list of commands.");
            return ExitCodes.Usage;
        }
        return VerbRunner.Run(verb, args[1..]);
    }

    /// <summary>The package version (without the source revision the SDK may append after '+').</summary>
    internal static string Version
    {
        get
        {
            string version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            int plus = version.IndexOf('+');
            return plus < 0 ? version : version.Substring(0, plus);
        }
    }
}
