using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace QapiGen.Compat.Inputs;

/// <summary>
/// Finds the files a schema text may include, before parsing, so a side's files can all be read
/// (asynchronously, in batches) ahead of the synchronous front end. It may find too many (an
/// include in a comment: read for nothing, never used) but not too few for valid text: an include
/// directive is a string key 'include' followed by ':' and a string.
/// </summary>
internal static partial class IncludeScanner
{
    // Generated at build time: no pattern parsing or interpretation at run time (a native build has no JIT for it).
    [GeneratedRegex(@"'include'\s*:\s*'((?:[^'\\\n]|\\.)*)'", RegexOptions.CultureInvariant)]
    private static partial Regex Include();

    /// <summary>The names of the files included by <paramref name="fileName"/>, joined as the front end joins them.</summary>
    public static IEnumerable<string> Scan(string fileName, string text)
    {
        if (text.IndexOf("'include'", System.StringComparison.Ordinal) < 0)
        {
            yield break;
        }

        foreach (Match m in Include().Matches(text))
        {
            yield return PathJoin(PathDirName(fileName), m.Groups[1].Value.Replace("\\\\", "\\"));
        }
    }

    // Python's os.path.dirname / os.path.join, which the front end follows.
    internal static string PathDirName(string path)
    {
        int i = path.LastIndexOf('/');
        if (i < 0)
        {
            return "";
        }

        string head = path.Substring(0, i + 1);
        string trimmed = head.TrimEnd('/');
        return trimmed.Length == 0 ? head : trimmed;
    }

    internal static string PathJoin(string dir, string name)
    {
        if (name.StartsWith("/", System.StringComparison.Ordinal) || dir.Length == 0)
        {
            return name;
        }

        return dir.EndsWith("/", System.StringComparison.Ordinal) ? dir + name : dir + "/" + name;
    }
}
