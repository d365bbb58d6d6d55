using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace QapiGen.Compat;

/// <summary>Prints findings for people (grouped by class, with both locations) or as JSON for machines.</summary>
public static class CompatReport
{
    private static readonly FindingClass[] Order =
        { FindingClass.BreakingForSenders, FindingClass.BreakingForReaders, FindingClass.CoveredByFeature, FindingClass.Compatible };

    public static IEnumerable<Finding> Visible(IEnumerable<Finding> findings, bool all)
        => findings.Where(f => all || f.Class != FindingClass.Compatible);

    public static void WriteHuman(TextWriter w, SchemaSnapshot old, SchemaSnapshot @new, IReadOnlyList<Finding> findings, bool all)
    {
        var shown = Visible(findings, all).ToList();
        foreach (var cls in Order)
        {
            var group = shown.Where(f => f.Class == cls).ToList();
            if (group.Count == 0)
                continue;
            w.WriteLine($"== {cls.ToText()} ({group.Count})");
            foreach (var f in group)
            {
                var what = f.Member != null ? $"{f.Definition}: {f.Member}" : f.Definition;
                w.WriteLine($"{cls.ToText()}: {what}: {f.Message} [{f.Direction.ToText()}: {f.Path}]");
                if (f.Reason != null)
                    w.WriteLine($"    covered: {f.Reason}");
                if (f.OldLocation != null || f.NewLocation != null)
                    w.WriteLine($"    old: {f.OldLocation ?? "-"}  new: {f.NewLocation ?? "-"}");
            }
            w.WriteLine();
        }
        w.WriteLine(Summary(old, @new, findings));
    }

    public static string Summary(SchemaSnapshot old, SchemaSnapshot @new, IReadOnlyList<Finding> findings)
    {
        int Count(FindingClass c) => findings.Count(f => f.Class == c);
        return $"{old.Source} -> {@new.Source}: {Count(FindingClass.BreakingForSenders)} breaking for senders, "
            + $"{Count(FindingClass.BreakingForReaders)} breaking for readers, {Count(FindingClass.CoveredByFeature)} covered by a feature, "
            + $"{Count(FindingClass.Compatible)} compatible";
    }

    public static void WriteJson(Stream stream, SchemaSnapshot old, SchemaSnapshot @new, IReadOnlyList<Finding> findings, bool all)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("old", old.Source);
        w.WriteString("new", @new.Source);
        w.WriteStartObject("summary");
        foreach (var cls in Order)
            w.WriteNumber(cls.ToText(), findings.Count(f => f.Class == cls));
        w.WriteBoolean("breaking", findings.Any(f => f.Class.IsBreaking()));
        w.WriteEndObject();
        w.WriteStartArray("findings");
        foreach (var f in Visible(findings, all))
        {
            w.WriteStartObject();
            w.WriteString("class", f.Class.ToText());
            w.WriteString("direction", f.Direction.ToText());
            w.WriteString("kind", f.Kind);
            w.WriteString("definition", f.Definition);
            if (f.Member != null)
                w.WriteString("member", f.Member);
            w.WriteString("message", f.Message);
            w.WriteString("path", f.Path);
            if (f.OldLocation != null)
                w.WriteString("old-location", f.OldLocation);
            if (f.NewLocation != null)
                w.WriteString("new-location", f.NewLocation);
            if (f.Reason != null)
                w.WriteString("covered-by", f.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.WriteByte((byte)'\n');
    }
}
