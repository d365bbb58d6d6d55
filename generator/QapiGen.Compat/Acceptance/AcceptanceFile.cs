using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace QapiGen.Compat;

/// <summary>
/// The acceptance file (<c>qapigen-compat.json</c> beside the new schema, or <c>--config FILE</c>):
/// known breaks that must not fail the gate, each with a reason.
/// <code>
/// { "accept": [ { "kind": "member-removed", "definition": "eject", "member": "force",
///                 "reason": "never implemented; no client sends it" } ] }
/// </code>
/// Unknown keys are errors: a misspelt criterion would silently accept more than meant.
/// </summary>
public sealed class AcceptanceFile
{
    /// <summary>The name looked for beside the new schema's main file.</summary>
    public const string DefaultName = "qapigen-compat.json";

    private static readonly string[] Criteria = { "kind", "definition", "member", "path" };

    private AcceptanceFile(string file, IReadOnlyList<Acceptance> entries)
    {
        File = file;
        Entries = entries;
    }

    public string File { get; }

    public IReadOnlyList<Acceptance> Entries { get; }

    /// <exception cref="CompatInputException">the text is not a valid acceptance file (located).</exception>
    public static AcceptanceFile Parse(string file, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        List<int> lineStarts = LineStarts(bytes);
        SourceLocation At(long offset)
        {
            int i = lineStarts.BinarySearch((int)offset);
            int line = i >= 0 ? i : ~i - 1;
            return new SourceLocation(file, line + 1, (int)offset - lineStarts[line] + 1);
        }
        CompatInputException Error(long offset, string message)
        {
            SourceLocation at = At(offset);
            return new CompatInputException($"{at}: {message}", at, message);
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var entries = new List<Acceptance>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error(reader.TokenStartIndex, "expected an object with an \"accept\" array");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string? key = reader.GetString();
                long keyAt = reader.TokenStartIndex;
                reader.Read();
                if (key != "accept")
                {
                    throw Error(keyAt, $"unknown key \"{key}\" (expected \"accept\")");
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw Error(reader.TokenStartIndex, "\"accept\" must be an array");
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    entries.Add(ReadEntry(ref reader, At, Error));
                }
            }
        }
        catch (JsonException e)
        {
            var loc = new SourceLocation(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
            throw new CompatInputException($"{loc}: not valid JSON: {e.Message}", loc, "not valid JSON");
        }
        return new AcceptanceFile(file, entries);
    }

    private static Acceptance ReadEntry(ref Utf8JsonReader reader, Func<long, SourceLocation> at, Func<long, string, CompatInputException> error)
    {
        long start = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw error(start, "each accepted finding is an object with \"reason\" and one or more of " + string.Join(", ", Criteria.Select(c => $"\"{c}\"")));
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            long keyAt = reader.TokenStartIndex;
            reader.Read();
            if (key != "reason" && Array.IndexOf(Criteria, key) < 0)
            {
                throw error(keyAt, $"unknown key \"{key}\" (expected \"reason\", " + string.Join(", ", Criteria.Select(c => $"\"{c}\"")) + ")");
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw error(reader.TokenStartIndex, $"\"{key}\" must be a string");
            }

            values[key] = reader.GetString()!;
        }
        if (!values.TryGetValue("reason", out string? reason) || reason.Trim().Length == 0)
        {
            throw error(start, "an accepted finding needs a \"reason\"");
        }

        if (!Criteria.Any(values.ContainsKey))
        {
            throw error(start, "an accepted finding needs one or more of " + string.Join(", ", Criteria.Select(c => $"\"{c}\"")) + " (it would accept everything)");
        }

        string? Get(string k) => values.TryGetValue(k, out string? v) ? v : null;
        return new Acceptance(Get("kind"), Get("definition"), Get("member"), Get("path"), reason, at(start));
    }

    private static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return starts;
    }

    /// <summary>
    /// Marks the findings an entry accepts (only breaking ones need it; the first matching entry is
    /// named) and returns the entries that accept no breaking finding: stale, to be removed.
    /// </summary>
    public IReadOnlyList<Finding> Apply(IReadOnlyList<Finding> findings, out IReadOnlyList<Acceptance> unused)
    {
        var used = new HashSet<Acceptance>();
        var result = new List<Finding>(findings.Count);
        foreach (Finding f in findings)
        {
            Acceptance? entry = f.Class.IsBreaking() ? Entries.FirstOrDefault(e => e.Matches(f)) : null;
            if (entry != null)
            {
                used.Add(entry);
                foreach (Acceptance other in Entries)
                {
                    if (other.Matches(f))
                    {
                        used.Add(other);
                    }
                }
            }
            result.Add(entry == null ? f : f with { AcceptedBy = entry });
        }
        unused = Entries.Where(e => !used.Contains(e)).ToList();
        return result;
    }
}
