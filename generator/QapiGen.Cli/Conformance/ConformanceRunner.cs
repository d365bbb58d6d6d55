using System.Collections.Generic;
using System.IO;
using System.Linq;
using QapiGen.Schema.Dump;
using QapiGen.Schema.Parsing;

namespace QapiGen.Cli.Conformance;

/// <summary>
/// Runs a directory laid out like the reference front end's test suite: every <c>NAME.json</c> with a
/// <c>NAME.out</c> is loaded with file names relative to the directory (as the reference prints them),
/// and the dump and first error are compared with <c>NAME.out</c> and <c>NAME.err</c>.
/// </summary>
public static class ConformanceRunner
{
    /// <summary>The names of the cases in <paramref name="directory"/>, in order.</summary>
    public static IEnumerable<string> CaseNames(string directory)
        => Directory.GetFiles(directory, "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Where(n => File.Exists(Path.Combine(directory, n + ".out")))
            .OrderBy(n => n, System.StringComparer.Ordinal);

    public static List<ConformanceCase> Run(string directory, KnownDifferences? known = null)
        => CaseNames(directory).Select(name => RunCase(directory, name, known)).ToList();

    public static ConformanceCase RunCase(string directory, string name, KnownDifferences? known = null)
    {
        string expectedOut = ReadOrEmpty(Path.Combine(directory, name + ".out"));
        string expectedErr = ReadOrEmpty(Path.Combine(directory, name + ".err"));
        SchemaLoading.Result result = SchemaLoading.Load(name + ".json", fs: new RootedFileSystem(directory));
        string actualOut = result.Schema != null ? SchemaDumper.Dump(result.Schema) : "";
        string actualErr = result.Error != null ? result.Error + "\n" : "";
        bool passed = actualOut == expectedOut && actualErr == expectedErr;
        string? reason = null;
        if (!passed && known != null && known.TryGetReason(name, out string? why))
        {
            reason = why;
        }

        ConformanceOutcome outcome = passed ? ConformanceOutcome.Passed : reason != null ? ConformanceOutcome.Skipped : ConformanceOutcome.Failed;
        return new ConformanceCase(name, outcome, expectedOut, actualOut, expectedErr, actualErr, reason);
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
