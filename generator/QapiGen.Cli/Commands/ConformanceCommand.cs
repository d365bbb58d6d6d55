using System;
using System.IO;
using System.Linq;
using QapiGen.Cli.CommandLine;
using QapiGen.Cli.Conformance;

namespace QapiGen.Cli.Commands;

/// <summary><c>qapigen conformance DIR</c>: runs a test-suite directory and ends with "N passed, M failed".</summary>
public static class ConformanceCommand
{
    public static int Run(string[] args) => VerbRunner.Run(Verbs.Conformance, args);

    internal static int Execute(Invocation run)
    {
        var a = run.Args;
        var dir = a.Positional[0];
        if (!Directory.Exists(dir))
            throw new InputException($"can't read directory '{dir}': No such file or directory");
        var knownFile = a.Value(Verbs.Known);
        var known = KnownDifferences.None;
        if (knownFile != null)
        {
            try
            {
                known = KnownDifferences.Load(knownFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException($"can't read file '{knownFile}': {QapiGen.Schema.Parsing.SchemaFileSystem.Describe(e)}");
            }
        }
        var results = ConformanceRunner.Run(dir, known);
        foreach (var name in known.Reasons.Keys)
        {
            if (results.Exists(c => c.Name == name && c.Outcome == ConformanceOutcome.Passed))
                run.Out.WriteLine($"NOTE {name} is listed as a known difference but passes: remove it from {knownFile}");
        }
        foreach (var c in results)
        {
            if (c.Outcome == ConformanceOutcome.Failed)
            {
                run.Out.WriteLine($"FAIL {c.Name}");
                if (c.ExpectedErr != c.ActualErr)
                    run.Out.WriteLine(TextDiff.Describe("err", c.ExpectedErr, c.ActualErr));
                if (c.ExpectedOut != c.ActualOut)
                    run.Out.WriteLine(TextDiff.Describe("out", c.ExpectedOut, c.ActualOut));
            }
            else if (c.Outcome == ConformanceOutcome.Skipped)
            {
                run.Out.WriteLine($"SKIP {c.Name}: {c.Reason}");
            }
            else if (a.Has(Verbs.Verbose))
            {
                run.Out.WriteLine($"ok   {c.Name}");
            }
        }
        var passed = results.Count(c => c.Outcome == ConformanceOutcome.Passed);
        var failed = results.Count(c => c.Outcome == ConformanceOutcome.Failed);
        var skipped = results.Count(c => c.Outcome == ConformanceOutcome.Skipped);
        run.Out.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
        return failed > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
