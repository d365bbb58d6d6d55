using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QapiGen.CodeGen;
using QapiGen.Schema;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// The spec on QEMU's schema: equal whether built from the files or from their significant texts (it
/// holds no positions), and its introspection data renders what the front end's writer does for any
/// set of defined symbols.
/// </summary>
public class SpecEqualityTests
{
    private static SchemaSpec Spec(string dir, Func<string, string> transform)
    {
        var fs = new InMemorySchemaFileSystem();
        foreach (string file in Directory.GetFiles(dir, "*.json"))
        {
            fs.Add(file, transform(File.ReadAllText(file)));
        }

        return SpecBuilder.Build(QapiSchema.Load(Path.Combine(dir, "qapi-schema.json"), fs), "Qemu");
    }

    [SharedFact("qemu-schemas")]
    public void TheSpecOfQEMUIsEqualFromTheFilesAndFromTheirSignificantTexts()
    {
        string dir = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0");
        SchemaSpec layout = Spec(dir, Relayout);
        Assert.Equal(Spec(dir, t => t), Spec(dir, SignificantText.Of));
        Assert.Equal(Spec(dir, t => t), layout);
    }

    // Every line outside doc comments indented, with a comment after its last '}' and a blank line before it.
    private static string Relayout(string text) => string.Join("\n", text.Split('\n').Select(line =>
        line.TrimStart().StartsWith('#') ? line : "\n  " + line + (line.TrimEnd().EndsWith('}') ? "  # a comment that is not a doc comment" : "")));

    [SharedFact("qemu-schemas")]
    public void QEMUIntrospectionRendersAsTheWriterDoesForAnySymbols()
    {
        string dir = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0");
        SchemaSpec spec = Spec(dir, t => t);
        var fs = new InMemorySchemaFileSystem();
        foreach (string file in Directory.GetFiles(dir, "*.json"))
        {
            fs.Add(file, File.ReadAllText(file));
        }

        IReadOnlyList<SchemaInfoEntry> entries = SchemaInfoBuilder.Build(QapiSchema.Load(Path.Combine(dir, "qapi-schema.json"), fs));
        EquatableArray<string> symbols = spec.Introspection.Symbols;
        Assert.True(symbols.Count > 10, "v8.2.0 has many conditions");
        Func<string, bool>[] sets = [_ => false, _ => true, s => s.StartsWith("CONFIG_", StringComparison.Ordinal) && s.Length % 2 == 0,
            s => symbols.ToList().IndexOf(s) % 3 == 0];
        foreach (Func<string, bool> isDefined in sets)
        {
            Assert.Equal(SchemaInfoJson.Write(entries, c => c.Evaluate(isDefined)), spec.Introspection.Render(isDefined));
        }
    }
}
