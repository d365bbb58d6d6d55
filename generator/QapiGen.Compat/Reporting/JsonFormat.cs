using System.IO;
using System.Text;
using System.Text.Json;

namespace QapiGen.Compat;

/// <summary>
/// The comparison for machines: summary, findings (locations as objects: file, line, column),
/// unused acceptances; an input error as <c>{"error": {...}}</c>.
/// </summary>
public sealed class JsonFormat : ICompatFormat
{
    public string Name => "json";

    /// <summary>Indented, and quotes and non-ASCII text as they are (the output is a file, never HTML).</summary>
    internal static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Write(TextWriter w, CompatResult result)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, WriterOptions))
        {
            j.WriteStartObject();
            j.WriteString("old", result.OldName);
            j.WriteString("new", result.NewName);
            j.WriteStartObject("summary");
            j.WriteNumber("breaking-for-senders", result.Count(FindingClass.BreakingForSenders));
            j.WriteNumber("breaking-for-readers", result.Count(FindingClass.BreakingForReaders));
            j.WriteNumber("covered-by-feature", result.Count(FindingClass.CoveredByFeature));
            j.WriteNumber("compatible", result.Count(FindingClass.Compatible));
            j.WriteNumber("accepted", result.AcceptedCount);
            j.WriteNumber("unused-acceptances", result.UnusedAcceptances.Count);
            // Whether the gate fails: a breaking finding that is not accepted.
            j.WriteBoolean("breaking", result.Fails);
            j.WriteEndObject();
            if (result.AcceptanceFile != null)
            {
                j.WriteString("acceptance-file", result.AcceptanceFile);
            }

            j.WriteStartArray("findings");
            foreach (Finding f in result.Shown)
            {
                j.WriteStartObject();
                j.WriteString("class", f.Class.ToText());
                j.WriteString("direction", f.Direction.ToText());
                j.WriteString("kind", f.Kind);
                j.WriteString("definition", f.Definition);
                if (f.Member != null)
                {
                    j.WriteString("member", f.Member);
                }

                j.WriteString("message", f.Message);
                j.WriteString("path", f.Path);
                WriteLocation(j, "location", result.LocationOf(f));
                if (f.OldLocation != null)
                {
                    WriteLocation(j, "old-location", f.OldLocation);
                }

                if (f.NewLocation != null)
                {
                    WriteLocation(j, "new-location", f.NewLocation);
                }

                if (f.Anchor != null)
                {
                    WriteLocation(j, "definition-location", f.Anchor);
                }

                if (f.Reason != null)
                {
                    j.WriteString("covered-by", f.Reason);
                }

                if (f.AcceptedBy != null)
                {
                    j.WriteStartObject("accepted");
                    j.WriteString("reason", f.AcceptedBy.Reason);
                    WriteLocation(j, "entry", f.AcceptedBy.Location);
                    j.WriteEndObject();
                }
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteStartArray("unused-acceptances");
            foreach (Acceptance a in result.UnusedAcceptances)
            {
                j.WriteStartObject();
                j.WriteString("kind", CompatRules.UnusedAcceptance);
                WriteLocation(j, "location", a.Location);
                j.WriteString("selects", a.Describe());
                j.WriteString("reason", a.Reason);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        w.Write(Encoding.UTF8.GetString(stream.ToArray()));
        w.Write('\n');
    }

    public bool WriteError(TextWriter w, CompatInputException error)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, WriterOptions))
        {
            j.WriteStartObject();
            j.WriteStartObject("error");
            j.WriteString("kind", CompatRules.InputError);
            j.WriteString("message", error.Detail);
            j.WriteString("text", error.Message);
            if (error.Location != null)
            {
                WriteLocation(j, "location", error.Location);
            }
            else
            {
                j.WriteNull("location");
            }

            if (error.Hint != null)
            {
                j.WriteString("hint", error.Hint);
            }

            j.WriteEndObject();
            j.WriteEndObject();
        }
        w.Write(Encoding.UTF8.GetString(stream.ToArray()));
        w.Write('\n');
        return true;
    }

    private static void WriteLocation(Utf8JsonWriter j, string name, SourceLocation loc)
    {
        j.WriteStartObject(name);
        j.WriteString("file", loc.File);
        if (loc.Line is int line)
        {
            j.WriteNumber("line", line);
        }

        if (loc.Column is int col)
        {
            j.WriteNumber("column", col);
        }

        j.WriteEndObject();
    }
}
