using System;
using System.Collections.Generic;

namespace QapiGen.Cli.CommandLine;

/// <summary>
/// "Did you mean" for a misspelt verb, option or choice: the known words closest to what was typed,
/// by edit distance with adjacent transpositions counted as one edit (<c>chekc</c> → <c>check</c>).
/// </summary>
internal static class Suggestions
{
    /// <summary>The known words near <paramref name="typed"/>, best first; empty when none is near enough to be a typo.</summary>
    public static List<string> Near(string typed, IEnumerable<string> known)
    {
        var best = new List<string>();
        int bestDistance = int.MaxValue;
        // A typo changes a few characters: up to a third of the word, at least two.
        int limit = Math.Max(2, typed.Length / 3);
        foreach (string word in known)
        {
            int d = Distance(typed, word);
            if (word.StartsWith(typed, StringComparison.Ordinal) && typed.TrimStart('-').Length >= 3)
            {
                d = Math.Min(d, 1);
            }

            if (d > limit || d >= Math.Max(typed.Length, word.Length))
            {
                continue;
            }

            if (d < bestDistance)
            {
                best.Clear();
                bestDistance = d;
            }
            if (d == bestDistance && !best.Contains(word))
            {
                best.Add(word);
            }
        }
        return best;
    }

    /// <summary><c>; did you mean 'X'?</c> (or <c>'X' or 'Y'</c>), or empty when nothing is near.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> known)
    {
        List<string> near = Near(typed, known);
        return near.Count == 0 ? "" : "; did you mean '" + string.Join("' or '", near) + "'?";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    public static int Distance(string a, string b)
    {
        int[,] d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
