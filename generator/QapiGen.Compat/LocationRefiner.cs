using System;
using System.Collections.Generic;
using QapiGen.Schema.Introspection;

namespace QapiGen.Compat;

/// <summary>
/// Turns the model's locations (a definition's first line) into the position of what a finding
/// is about: the quoted member, value or branch name inside the definition, to the column, so an
/// editor jumps to it. Works on the texts each side was read from; leaves a location as it is
/// when the text is not at hand or the name is not found.
/// </summary>
public static class LocationRefiner
{
    public static IReadOnlyList<Finding> Refine(IReadOnlyList<Finding> findings, SchemaSnapshot old, SchemaSnapshot @new)
    {
        var result = new List<Finding>(findings.Count);
        var oldLines = new Dictionary<string, List<string>?>(StringComparer.Ordinal);
        var newLines = new Dictionary<string, List<string>?>(StringComparer.Ordinal);
        Dictionary<string, SourceLocation>? definitions = null;
        foreach (Finding f in findings)
        {
            SourceLocation? anchor = null;
            if (f.NewLocation == null && @new.FromSchema)
            {
                definitions ??= Definitions(@new);
                if (definitions.TryGetValue(f.Definition, out SourceLocation? at))
                {
                    anchor = Refine(at, null, @new, newLines);
                }
            }
            result.Add(f with
            {
                OldLocation = Refine(f.OldLocation, f.Member, old, oldLines),
                NewLocation = Refine(f.NewLocation, f.Member, @new, newLines),
                Anchor = anchor,
            });
        }
        return result;
    }

    /// <summary>Where each definition is, by the name findings give it (commands and events first).</summary>
    private static Dictionary<string, SourceLocation> Definitions(SchemaSnapshot side)
    {
        var result = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (bool pass in new[] { true, false })
        {
            foreach (SchemaInfoEntry e in side.Entries)
            {
                bool isEntry = e is Schema.Introspection.SchemaInfoCommand or Schema.Introspection.SchemaInfoEvent;
                if (isEntry != pass || e.Info?.Line == null)
                {
                    continue;
                }

                string? name = CompatChecker.DisplayName(e.SchemaName ?? e.Name);
                if (name != null)
                {
                    result.TryAdd(name, new SourceLocation(e.Info.FileName, e.Info.Line));
                }
            }
        }
        return result;
    }

    private static SourceLocation? Refine(SourceLocation? location, string? member, SchemaSnapshot side,
        Dictionary<string, List<string>?> cache)
    {
        if (location?.Line is not int line || location.Column != null)
        {
            return location;
        }

        if (!cache.TryGetValue(location.File, out List<string>? lines))
        {
            string? text = side.Files?.TextOf(location.File);
            cache[location.File] = lines = text == null ? null : SplitLines(text);
        }
        if (lines == null)
        {
            return location;
        }

        if (line < 1 || line > lines.Count)
        {
            return location;
        }

        if (member != null)
        {
            string key = member switch
            {
                // Pseudo-members of commands and events are written under these keys.
                "arguments" or "data" => "data",
                "return" => "returns",
                _ => member,
            };
            (int Line, int Column)? found = Find(lines, line, "'" + key + "'") ?? Find(lines, line, "'*" + key + "'");
            if (found != null)
            {
                return location with { Line = found.Value.Line, Column = found.Value.Column };
            }
        }
        string first = lines[line - 1];
        int indent = 0;
        while (indent < first.Length && char.IsWhiteSpace(first[indent]))
        {
            indent++;
        }

        return location with { Column = indent + 1 };
    }

    /// <summary>The first occurrence of <paramref name="quoted"/> in the expression starting at <paramref name="line"/>.</summary>
    private static (int Line, int Column)? Find(List<string> lines, int line, string quoted)
    {
        for (int i = line - 1; i < lines.Count; i++)
        {
            string l = lines[i];
            // The next top-level expression (or doc comment) starts in column 1.
            if (i > line - 1 && l.Length > 0 && (l[0] == '{' || l[0] == '#'))
            {
                break;
            }

            int hash = l.IndexOf('#');
            int col = l.IndexOf(quoted, StringComparison.Ordinal);
            if (col >= 0 && (hash < 0 || col < hash))
            {
                return (i + 1, col + 1);
            }
        }
        return null;
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text.Substring(start, i - start));
                start = i + 1;
            }
        }
        lines.Add(text.Substring(start));
        return lines;
    }
}
