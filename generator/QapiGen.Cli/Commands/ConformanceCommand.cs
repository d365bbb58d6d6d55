using System;
using System.Collections.Generic;
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
        ParsedArguments a = run.Args;
        string dir = a.Positional[0];
        if (!Directory.Exists(dir))
        {
            throw new InputException($"can't read directory '{dir}': No such file or directory");
        }

        string? knownFile = a.Value(Verbs.Known);
        KnownDifferences known = KnownDifferences.None;
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
        List<ConformanceCase> results = ConformanceRunner.Run(dir, known);
        foreach (string name in known.Reasons.Keys)
        {
            if (results.Exists(c => c.Name == name && c.Outcome == ConformanceOutcome.Passed))
            {
                run.Out.WriteLine($"NOTE {name} is listed as a known difference but passes: remove it from {knownFile}");
            }
        }
        foreach (ConformanceCase c in results)
        {
            if (c.Outcome == ConformanceOutcome.Failed)
            {
                run.Out.WriteLine($"FAIL {c.Name}");
                if (c.ExpectedErr != c.ActualErr)
                {
                    run.Out.WriteLine(TextDiff.Describe("err", c.ExpectedErr, c.ActualErr));
                }

                if (c.ExpectedOut != c.ActualOut)
                {
                    run.Out.WriteLine(TextDiff.Describe("out", c.ExpectedOut, c.ActualOut));
                }
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
        int passed = results.Count(c => c.Outcome == ConformanceOutcome.Passed);
        int failed = results.Count(c => c.Outcome == ConformanceOutcome.Failed);
        int skipped = results.Count(c => c.Outcome == ConformanceOutcome.Skipped);
        run.Out.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
        return failed > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
