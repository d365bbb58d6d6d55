using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace QapiGen.Compat;

/// <summary>
/// SARIF 2.1.0 for code scanning: one result per finding, its rule id the finding's kind; accepted
/// breaks carry an accepted external suppression with the reason; locations outside the working tree
/// (a git revision, an archive) become logical locations, named in the message. An input error is a
/// failed invocation with its notification.
/// </summary>
public sealed class SarifFormat : ICompatFormat
{
    public string Name => "sarif";

    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public void Write(TextWriter w, CompatResult result)
    {
        // The rules the results use, in the catalogue's order (a run describes what it reports).
        var used = new HashSet<string>(result.Shown.Select(f => f.Kind), StringComparer.Ordinal);
        if (result.UnusedAcceptances.Count > 0)
        {
            used.Add(CompatRules.UnusedAcceptance);
        }

        var rules = CompatRules.All.Keys.Concat(new[] { CompatRules.UnusedAcceptance }).Where(used.Contains)
            .Concat(used.Where(k => !CompatRules.All.ContainsKey(k) && k != CompatRules.UnusedAcceptance).OrderBy(k => k, StringComparer.Ordinal))
            .ToList();
        var ruleIndex = rules.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        Document(w, rules, j =>
        {
            j.WriteStartArray("invocations");
            j.WriteStartObject();
            j.WriteBoolean("executionSuccessful", true);
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteStartArray("results");
            foreach (Finding f in result.Shown)
            {
                j.WriteStartObject();
                j.WriteString("ruleId", f.Kind);
                if (ruleIndex.TryGetValue(f.Kind, out int index))
                {
                    j.WriteNumber("ruleIndex", index);
                }

                j.WriteString("level", f.Class.IsBreaking() ? "error" : f.Class == FindingClass.CoveredByFeature ? "warning" : "note");
                SourceLocation loc = result.LocationOf(f);
                SourceLocation? at = result.AnnotationLocation(f);
                string text = $"{f.Class.ToText()}: {CompatResult.Subject(f)}: {f.Message} [{f.Direction.ToText()} {f.Path}]"
                    + (f.Reason != null ? $" (covered: {f.Reason})" : "")
                    + (at == loc ? "" : $" (at {loc})");
                WriteMessage(j, text);
                j.WriteStartArray("locations");
                j.WriteStartObject();
                if (at != null)
                {
                    WritePhysical(j, at);
                }

                j.WriteStartArray("logicalLocations");
                j.WriteStartObject();
                j.WriteString("fullyQualifiedName", CompatResult.Subject(f));
                j.WriteString("kind", f.Member != null ? "member" : "type");
                j.WriteEndObject();
                j.WriteEndArray();
                j.WriteEndObject();
                j.WriteEndArray();
                // Stable across runs and line moves: what the finding is about, not where.
                j.WriteStartObject("partialFingerprints");
                j.WriteString("qapigenFinding/v1", $"{f.Kind}|{f.Direction.ToText()}|{f.Definition}|{f.Member}|{f.Path}");
                j.WriteEndObject();
                if (f.AcceptedBy != null)
                {
                    j.WriteStartArray("suppressions");
                    j.WriteStartObject();
                    j.WriteString("kind", "external");
                    j.WriteString("status", "accepted");
                    j.WriteString("justification", f.AcceptedBy.Reason);
                    j.WriteStartObject("location");
                    WritePhysical(j, f.AcceptedBy.Location);
                    j.WriteEndObject();
                    j.WriteEndObject();
                    j.WriteEndArray();
                }
                j.WriteStartObject("properties");
                j.WriteString("class", f.Class.ToText());
                j.WriteString("direction", f.Direction.ToText());
                j.WriteString("path", f.Path);
                if (f.OldLocation != null)
                {
                    j.WriteString("oldLocation", f.OldLocation.ToString());
                }

                if (f.NewLocation != null)
                {
                    j.WriteString("newLocation", f.NewLocation.ToString());
                }

                j.WriteEndObject();
                j.WriteEndObject();
            }
            foreach (Acceptance a in result.UnusedAcceptances)
            {
                j.WriteStartObject();
                j.WriteString("ruleId", CompatRules.UnusedAcceptance);
                j.WriteNumber("ruleIndex", ruleIndex[CompatRules.UnusedAcceptance]);
                j.WriteString("level", "warning");
                WriteMessage(j, $"this entry accepts no breaking finding ({a.Describe()}): remove it");
                j.WriteStartArray("locations");
                j.WriteStartObject();
                WritePhysical(j, a.Location);
                j.WriteEndObject();
                j.WriteEndArray();
                j.WriteEndObject();
            }
            j.WriteEndArray();
        });
    }

    public bool WriteError(TextWriter w, CompatInputException error)
    {
        Document(w, new List<string>(), j =>
        {
            j.WriteStartArray("invocations");
            j.WriteStartObject();
            j.WriteBoolean("executionSuccessful", false);
            j.WriteStartArray("toolExecutionNotifications");
            j.WriteStartObject();
            j.WriteString("level", "error");
            WriteMessage(j, error.Hint != null ? error.Message + "\n" + error.Hint : error.Message);
            if (error.Location != null)
            {
                j.WriteStartArray("locations");
                j.WriteStartObject();
                WritePhysical(j, error.Location);
                j.WriteEndObject();
                j.WriteEndArray();
            }
            j.WriteStartObject("descriptor");
            j.WriteString("id", CompatRules.InputError);
            j.WriteEndObject();
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteStartArray("results");
            j.WriteEndArray();
        });
        return true;
    }

    /// <summary>The version the assembly was built as (from git; see Directory.Build.props), without build metadata.</summary>
    private static string ToolVersion()
    {
        string? informational = typeof(SarifFormat).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()?.InformationalVersion;
        return informational is null ? "0.0.0" : informational.Split('+')[0];
    }

    private static void Document(TextWriter w, IReadOnlyList<string> rules, Action<Utf8JsonWriter> run)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, JsonFormat.WriterOptions))
        {
            j.WriteStartObject();
            j.WriteString("$schema", SchemaUri);
            j.WriteString("version", "2.1.0");
            j.WriteStartArray("runs");
            j.WriteStartObject();
            j.WriteStartObject("tool");
            j.WriteStartObject("driver");
            j.WriteString("name", "qapigen compat");
            j.WriteString("semanticVersion", ToolVersion());
            j.WriteStartArray("rules");
            foreach (string id in rules)
            {
                j.WriteStartObject();
                j.WriteString("id", id);
                j.WriteStartObject("shortDescription");
                j.WriteString("text", id == CompatRules.UnusedAcceptance
                    ? "An entry of the acceptance file accepts no breaking finding."
                    : CompatRules.Describe(id));
                j.WriteEndObject();
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
            j.WriteEndObject();
            run(j);
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteEndObject();
        }
        w.Write(Encoding.UTF8.GetString(stream.ToArray()));
        w.Write('\n');
    }

    private static void WriteMessage(Utf8JsonWriter j, string text)
    {
        j.WriteStartObject("message");
        j.WriteString("text", text);
        j.WriteEndObject();
    }

    private static void WritePhysical(Utf8JsonWriter j, SourceLocation loc)
    {
        j.WriteStartObject("physicalLocation");
        j.WriteStartObject("artifactLocation");
        j.WriteString("uri", Uri(loc.File));
        j.WriteEndObject();
        if (loc.Line is int line)
        {
            j.WriteStartObject("region");
            j.WriteNumber("startLine", line);
            if (loc.Column is int col)
            {
                j.WriteNumber("startColumn", col);
            }

            j.WriteEndObject();
        }
        j.WriteEndObject();
    }

    /// <summary>A relative path stays a relative reference (resolved against the checkout); an absolute one is a file URI.</summary>
    private static string Uri(string file)
    {
        string path = file.Replace('\\', '/');
        if (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path.Substring(2);
        }

        string escaped = string.Join("/", path.Split('/').Select(System.Uri.EscapeDataString));
        return path.StartsWith("/", StringComparison.Ordinal) ? "file://" + escaped : escaped;
    }
}
