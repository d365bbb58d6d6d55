using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QapiGen.Schema.Introspection;

namespace QapiGen.Compat.Tests;

/// <summary>Writes small schemas (double-quoted in C# for readability, turned into the schema's single quotes) to a temp directory.</summary>
internal sealed class TempSchemas : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "qapigen-compat-" + Guid.NewGuid().ToString("N"));

    public TempSchemas() => Directory.CreateDirectory(_dir);

    public string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.Replace('"', '\''));
        return path;
    }

    public string WriteRaw(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Compares two schema texts and returns the findings.</summary>
    public IReadOnlyList<Finding> Compare(string oldText, string newText, bool lenient = false)
    {
        SchemaSnapshot old = SchemaSnapshotLoader.Load(Write("old-" + Guid.NewGuid().ToString("N") + ".json", oldText), lenient);
        SchemaSnapshot @new = SchemaSnapshotLoader.Load(Write("new-" + Guid.NewGuid().ToString("N") + ".json", newText), lenient);
        return CompatChecker.Compare(old, @new);
    }

    /// <summary>The introspection reply a server built from <paramref name="path"/> would send.</summary>
    public string IntrospectionOf(string path, bool lenient = false)
    {
        SchemaSnapshot snapshot = SchemaSnapshotLoader.Load(path, lenient);
        return SchemaInfoJson.WriteReply(snapshot.Entries);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

internal static class FindingAsserts
{
    public static Finding Single(IReadOnlyList<Finding> findings, string kind, string? member = null)
    {
        var matches = findings.Where(f => f.Kind == kind && (member == null || f.Member == member)).ToList();
        Xunit.Assert.True(matches.Count == 1,
            $"expected one '{kind}' finding{(member != null ? " for " + member : "")}, got {matches.Count}:\n"
            + string.Join("\n", findings.Select(f => $"  {f.Class} {f.Kind} {f.Definition}.{f.Member}: {f.Message}")));
        return matches[0];
    }

    public static string Dump(IReadOnlyList<Finding> findings)
        => string.Join("\n", findings.Select(f => $"  {f.Class} {f.Kind} {f.Definition}.{f.Member}: {f.Message} [{f.Path}]"));
}
