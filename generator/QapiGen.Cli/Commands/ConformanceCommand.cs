using System;
using System.IO;
using System.Linq;
using QapiGen.Cli.Conformance;

namespace QapiGen.Cli.Commands;

/// <summary><c>qapigen conformance DIR</c>: runs a test-suite directory and ends with "N passed, M failed".</summary>
public static class ConformanceCommand
{
    public static int Run(string[] args)
    {
        var a = new Arguments(args, new[] { "-v", "--verbose" }, new[] { "--known" });
        var dir = a.Single("DIR");
        if (!Directory.Exists(dir))
        {
            Console.Error.WriteLine($"qapigen conformance: no such directory '{dir}'");
            return ExitCodes.Usage;
        }
        var knownFile = a.Value("--known");
        var known = knownFile != null ? KnownDifferences.Load(knownFile) : KnownDifferences.None;
        var results = ConformanceRunner.Run(dir, known);
        foreach (var name in known.Reasons.Keys)
        {
            if (results.Exists(c => c.Name == name && c.Outcome == ConformanceOutcome.Passed))
                Console.WriteLine($"NOTE {name} is listed as a known difference but passes: remove it from {knownFile}");
        }
        foreach (var c in results)
        {
            if (c.Outcome == ConformanceOutcome.Failed)
            {
                Console.WriteLine($"FAIL {c.Name}");
                if (c.ExpectedErr != c.ActualErr)
                    Console.WriteLine(TextDiff.Describe("err", c.ExpectedErr, c.ActualErr));
                if (c.ExpectedOut != c.ActualOut)
                    Console.WriteLine(TextDiff.Describe("out", c.ExpectedOut, c.ActualOut));
            }
            else if (c.Outcome == ConformanceOutcome.Skipped)
            {
                Console.WriteLine($"SKIP {c.Name}: {c.Reason}");
            }
            else if (a.Has("-v") || a.Has("--verbose"))
            {
                Console.WriteLine($"ok   {c.Name}");
            }
        }
        var passed = results.Count(c => c.Outcome == ConformanceOutcome.Passed);
        var failed = results.Count(c => c.Outcome == ConformanceOutcome.Failed);
        var skipped = results.Count(c => c.Outcome == ConformanceOutcome.Skipped);
        Console.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
        return failed > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
