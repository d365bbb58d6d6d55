using System.Collections.Generic;
using System.Linq;
using System.Text;
using QapiGen.Schema.Parsing;

namespace QapiGen.Generator;

/// <summary>
/// The files a main schema's include graph reaches among those MSBuild passed, found as the parser
/// finds them: an include names a file relative to the including file. Only these are a spec's input.
/// </summary>
internal static class IncludeGraph
{
    // In a significant text (SignificantText) an include directive reads exactly {'include':'NAME'}: no
    // whitespace, no comments. The same characters elsewhere (a member named 'include', a doc comment
    // quoting a directive) only add a file to the input, which costs a cache miss, never a wrong output.
    private const string Directive = "{'include':'";

    /// <summary>The files reached from <paramref name="mainPath"/>, sorted by path; names not passed are skipped
    /// (the parser reports them when it gets there).</summary>
    public static List<SchemaFileInput> Reached(string mainPath, IReadOnlyDictionary<string, SchemaFileInput> byFullPath)
    {
        var reached = new List<SchemaFileInput>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var work = new Stack<string>();
        work.Push(mainPath);
        while (work.Count > 0)
        {
            string name = work.Pop();
            string key = PassedFiles.Key(name);
            if (!seen.Add(key) || !byFullPath.TryGetValue(key, out SchemaFileInput? file))
            {
                continue;
            }

            reached.Add(file);
            if (file.Text == null)
            {
                continue;
            }

            foreach (string include in Includes(file.Text))
            {
                work.Push(QapiSchemaParser.PathJoin(QapiSchemaParser.PathDirName(name), include));
            }
        }
        return reached.OrderBy(f => f.Path, System.StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Includes(string significantText)
    {
        for (int i = significantText.IndexOf(Directive, System.StringComparison.Ordinal); i >= 0;
             i = significantText.IndexOf(Directive, i + 1, System.StringComparison.Ordinal))
        {
            // The string's only escape is \\ (SignificantText keeps strings as written).
            var name = new StringBuilder();
            for (int j = i + Directive.Length; j < significantText.Length && significantText[j] != '\'' && significantText[j] != '\n'; j++)
            {
                if (significantText[j] == '\\' && j + 1 < significantText.Length)
                {
                    j++;
                }

                name.Append(significantText[j]);
            }
            yield return name.ToString();
        }
    }
}
