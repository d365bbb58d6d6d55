using System;
using System.Collections.Generic;
using System.IO;

namespace QapiGen.Cli.Conformance;

/// <summary>
/// Test-suite cases whose expected text is deliberately not reproduced, each with the reason.
/// Keeping them in a file (not in code) makes every exception visible and reviewable.
/// </summary>
public sealed class KnownDifferences
{
    private readonly Dictionary<string, string> _reasons = new(StringComparer.Ordinal);

    public static KnownDifferences None { get; } = new();

    public IReadOnlyDictionary<string, string> Reasons => _reasons;

    /// <summary>Reads lines of the form <c>NAME: reason</c>; blank lines and '#' comments are ignored.</summary>
    public static KnownDifferences Load(string path)
    {
        var known = new KnownDifferences();
        int lineNo = 0;
        foreach (string raw in File.ReadAllLines(path))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new UsageException($"{path}:{lineNo}: expected 'NAME: reason'");
            }

            known._reasons[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
        }
        return known;
    }

    public bool TryGetReason(string name, out string reason) => _reasons.TryGetValue(name, out reason!);
}
