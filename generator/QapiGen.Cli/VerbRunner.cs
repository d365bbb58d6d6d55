using System;
using System.IO;
using QapiGen.Cli.CommandLine;

namespace QapiGen.Cli;

/// <summary>
/// Runs a verb with the one convention of exit statuses and messages (<see cref="ExitCodes"/>,
/// docs/cli.md): <c>--help</c> prints the verb's help and exits 0; a usage error prints
/// <c>qapigen VERB: MESSAGE</c>, the usage lines and exits 2; a file that cannot be read or written,
/// <c>qapigen VERB: MESSAGE</c> and 2; Ctrl-C, 130; anything unexpected is a bug: 70, never a verdict.
/// Schema and template errors are the verbs' own answers (1), printed located.
/// </summary>
internal static class VerbRunner
{
    /// <param name="stdout">where output goes; null: the console's, looked up when first written to.</param>
    /// <param name="stderr">where messages go; null: the console's, looked up when first written to.</param>
    public static int Run(VerbSpec verb, string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        if (!TryParse(verb, args, stdout, stderr, out ParsedArguments? parsed, out int exitCode))
        {
            return exitCode;
        }

        StageTimings.Mark("command line");
        var run = new Invocation(verb, parsed, stdout, stderr);
        try
        {
            return verb.Run(run);
        }
#pragma warning disable CA1031 // the last resort: a crash must not pass for a verdict on the input
        catch (Exception e)
        {
            return Report(verb, e, run.Err);
        }
#pragma warning restore CA1031
    }

    /// <summary>
    /// Parses <paramref name="args"/> for <paramref name="verb"/>; false when the verb must not run,
    /// with the exit status (its help was printed: 0; a usage error: 2).
    /// </summary>
    public static bool TryParse(VerbSpec verb, string[] args, TextWriter? stdout, TextWriter? stderr, out ParsedArguments parsed,
        out int exitCode)
    {
        try
        {
            parsed = ArgumentParser.Parse(verb, args);
        }
        catch (UsageException e)
        {
            parsed = new ParsedArguments();
            exitCode = Report(verb, e, stderr ?? Console.Error);
            return false;
        }
        if (parsed.HelpRequested)
        {
            HelpText.WriteVerb(verb, stdout ?? Console.Out);
            exitCode = ExitCodes.Ok;
            return false;
        }
        exitCode = ExitCodes.Ok;
        return true;
    }

    /// <summary>Reports a failure that ended a verb, and returns its exit status.</summary>
    public static int Report(VerbSpec verb, Exception e, TextWriter stderr)
    {
        switch (e)
        {
            case UsageException:
                stderr.WriteLine($"qapigen {verb.Name}: {e.Message}");
                HelpText.WriteUsageHint(verb, stderr);
                return ExitCodes.Usage;
            case InputException:
                stderr.WriteLine($"qapigen {verb.Name}: {e.Message}");
                return ExitCodes.Usage;
            case IOException or UnauthorizedAccessException:
                stderr.WriteLine($"qapigen {verb.Name}: {e.Message}");
                return ExitCodes.Usage;
            case OperationCanceledException:
                stderr.WriteLine($"qapigen {verb.Name}: interrupted");
                return ExitCodes.Cancelled;
            default:
                stderr.WriteLine($"qapigen {verb.Name}: internal error (a bug in qapigen, please report it): {e}");
                return ExitCodes.InternalError;
        }
    }
}
