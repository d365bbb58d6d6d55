using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using QapiGen.Schema;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Dump;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// <see cref="SignificantText"/> keeps everything the parser's result depends on: loading the
/// significant texts of a schema's files gives the same model and doc comments (the reference dump)
/// or the same error, for every case of the reference suite and for QEMU's schemas.
/// </summary>
public class SignificantTextTests
{
    [Fact]
    public void DropsCommentsAndWhitespaceKeepsDocCommentsAndStrings()
    {
        string text = "# plain comment\n##\n# @Foo:\n#\n# Doc text,  spaced.\n##\n# not doc\n{ 'struct' : 'Foo',  # inline\n  'data': { 'a b': 'str', 'f': true } }\n";
        Assert.Equal("\n##\n\n# @Foo:\n\n#\n\n# Doc text,  spaced.\n\n##\n{'struct':'Foo','data':{'a b':'str','f':true}}", SignificantText.Of(text));
    }

    [Fact]
    public void KeepsTheRestFromACharacterTheLexerRefuses()
    {
        string text = "{ 'a': 'b' }\n# c\n{ 'x': nope }\n";
        Assert.Equal("{'a':'b'}{'x':\nnope }\n", SignificantText.Of(text));
    }

    [Fact]
    public void AMalformedDocOpeningKeepsTheCommentsAfterIt()
    {
        // "## junk" is refused (strict) or skipped (lenient), not a block: the plain comment after it is
        // dropped, and the "##" after that opens a block whose lines are kept.
        string text = "## junk\n# plain\n##\n# @Foo:\n##\n{ 'struct': 'Foo', 'data': {} }\n";
        Assert.Equal("\n## junk\n\n##\n\n# @Foo:\n\n##\n{'struct':'Foo','data':{}}", SignificantText.Of(text));
    }

    public static IEnumerable<object[]> ReferenceCases()
    {
        string? dir = RepoPaths.SharedDirectory("qapi-schema-tests");
        if (dir == null)
        {
            return [["(absent)"]];
        }

        return Directory.GetFiles(dir, "*.json").Select(f => new object[] { Path.GetFileName(f) }).OrderBy(c => (string)c[0], StringComparer.Ordinal);
    }

    [SharedTheory("qapi-schema-tests")]
    [MemberData(nameof(ReferenceCases))]
    public void LoadsEveryReferenceCaseAlike(string name)
    {
        string dir = RepoPaths.SharedDirectory("qapi-schema-tests")!;
        foreach (QapiSchemaOptions? options in new[] { new QapiSchemaOptions(), new QapiSchemaOptions { Lenient = true } })
        {
            Assert.Equal(Outcome(dir, name, s => s, options), Outcome(dir, name, SignificantText.Of, options));
        }
    }

    [SharedTheory("qemu-schemas")]
    [InlineData("v8.2.0", false)]
    [InlineData("v6.2.0", true)]
    public void LoadsQEMUSchemasAlike(string version, bool lenient)
    {
        string dir = Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, version);
        var options = new QapiSchemaOptions { Lenient = lenient };
        string raw = Outcome(dir, "qapi-schema.json", s => s, options);
        Assert.StartsWith("ok", raw);
        Assert.Equal(raw, Outcome(dir, "qapi-schema.json", SignificantText.Of, options));
    }

    // The dump and the warnings' texts, or the error's kind and text: everything but positions (a message
    // may name another definition's line: "previous definition" is "FILE:LINE:").
    private static string Outcome(string dir, string main, Func<string, string> transform, QapiSchemaOptions template)
    {
        var fs = new InMemorySchemaFileSystem();
        foreach (string file in Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories))
        {
            fs.Add(file, transform(File.ReadAllText(file)));
        }

        var options = new QapiSchemaOptions { Lenient = template.Lenient, LenientDocs = template.LenientDocs };
        try
        {
            var schema = QapiSchema.Load(Path.Combine(dir, main), fs, options);
            return "ok\n" + SchemaDumper.Dump(schema) + string.Join("\n", schema.Warnings.Select(w => w.GetType().Name + ": " + w.Detail));
        }
        catch (QapiError e)
        {
            return e.GetType().Name + ": " + Regex.Replace(e.Detail, @"\.json:\d+:", ".json:LINE:");
        }
    }
}
