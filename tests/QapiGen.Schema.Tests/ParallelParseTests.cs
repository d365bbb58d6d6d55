using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// Included files are parsed ahead on other threads; what comes out must be what reading the files
/// one after another, depth first, gives: the same expressions, docs, locations (include chains),
/// pragmas, warnings and first error.
/// </summary>
public sealed class ParallelParseTests
{
    private const int Workers = 3;

    /// <summary>Everything a parse hands on, as text: each expression and doc with its location, the warnings, the pragmas.</summary>
    private static string Describe(QapiSchemaParser p, QapiSchemaOptions options)
    {
        var text = new StringBuilder();
        foreach (QapiExpression e in p.Exprs)
        {
            text.Append(e.Info).Append(" | ").Append(string.Join(",", e.Expr.Keys)).Append(" = ").Append(e.Expr[e.Expr.Keys[0]])
                .Append(" | doc ").Append(e.Doc?.Symbol).Append(' ').Append(e.Doc?.Body.Text).Append('\n');
        }
        foreach (QapiDoc d in p.Docs)
        {
            text.Append("doc ").Append(d.Info).Append(' ').Append(d.Symbol).Append(' ').Append(d.Body.Text).Append('\n');
        }
        foreach (QapiError w in options.Warnings)
        {
            text.Append("warning ").Append(w).Append('\n');
        }
        QapiPragma pragma = p.Exprs[0].Info.Pragma;
        text.Append("pragma ").Append(pragma.DocRequired).Append(' ').Append(string.Join(",", pragma.CommandNameExceptions))
            .Append(' ').Append(string.Join(",", pragma.MemberNameExceptions)).Append('\n');
        return text.ToString();
    }

    private static string Outcome(string main, ISchemaFileSystem fs, int workers, bool lenient = false)
    {
        var options = new QapiSchemaOptions { LenientDocs = lenient };
        try
        {
            return Describe(QapiSchemaParser.Parse(main, fs, options, workers), options);
        }
        catch (QapiError e)
        {
            return "error " + e + "\n" + string.Join("\n", options.Warnings);
        }
    }

    private static InMemorySchemaFileSystem Files(params (string Path, string Text)[] files)
    {
        var fs = new InMemorySchemaFileSystem();
        foreach ((string path, string text) in files)
        {
            fs.Add(path, text);
        }
        return fs;
    }

    public static IEnumerable<object[]> Schemas()
    {
        const string Doc = "##\n# @{0}:\n#\n# The {0}.\n##\n{{ 'struct': '{0}', 'data': {{ }} }}\n";
        string Def(string name) => string.Format(Doc, name);
        // Nested includes, a file included twice (read once, where first included), pragmas in two files.
        yield return new object[]
        {
            Files(("main.json", "{ 'pragma': { 'doc-required': true } }\n{ 'include': 'a.json' }\n" + Def("M") + "{ 'include': 'sub/b.json' }\n{ 'include': 'a.json' }\n"),
                ("a.json", Def("A1") + "{ 'include': 'sub/c.json' }\n" + Def("A2")),
                ("sub/b.json", "{ 'include': 'c.json' }\n{ 'pragma': { 'command-name-exceptions': [ 'x_y' ] } }\n" + Def("B")),
                ("sub/c.json", Def("C") + "{ 'include': 'd.json' }\n"),
                ("sub/d.json", Def("D"))),
            false,
        };
        // The same file first reached by another name than the one it was parsed ahead as.
        yield return new object[]
        {
            Files(("main.json", "{ 'include': 'x.json' }\n{ 'include': 'sub/a.json' }\n"),
                ("x.json", Def("X") + "{ 'include': 'sub/./a.json' }\n"),
                ("sub/a.json", Def("A") + "{ 'struct': 'Bad' }\n")),
            false,
        };
        // A syntax error late in an early file, and another early in a later one: the early file's comes first.
        yield return new object[]
        {
            Files(("main.json", "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n{ 'include': 'c.json' }\n"),
                ("a.json", Def("A") + "{ 'include': 'a2.json' }\n"),
                ("a2.json", Def("A2") + string.Concat(Enumerable.Repeat(Def("Pad"), 50)) + "{ 'struct' 'Late' }\n"),
                ("b.json", "{ 'struct': x }\n"),
                ("c.json", "@\n")),
            false,
        };
        // An unreadable include after a doc error: with lenient docs, the warning, then the error.
        yield return new object[]
        {
            Files(("main.json", "{ 'include': 'a.json' }\n{ 'include': 'missing.json' }\n{ 'include': 'b.json' }\n"),
                ("a.json", "##\n# @A:\n# Note:\n##\n{ 'struct': 'A', 'data': { } }\n"),
                ("b.json", "##\n# @B:\n# Since:\n##\n{ 'struct': 'B', 'data': { } }\n")),
            true,
        };
        // An inclusion loop through a file parsed ahead.
        yield return new object[]
        {
            Files(("main.json", "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n"),
                ("a.json", Def("A") + "{ 'include': 'b.json' }\n"),
                ("b.json", Def("B") + "{ 'include': 'a.json' }\n")),
            false,
        };
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void ParsedAheadIsReadAsOneAfterAnother(InMemorySchemaFileSystem fs, bool lenient)
    {
        string sequential = Outcome("main.json", fs, 0, lenient);
        for (int run = 0; run < 20; run++)
        {
            Assert.Equal(sequential, Outcome("main.json", fs, Workers, lenient));
        }
    }

    [SharedFact("qemu-schemas")]
    public void QemusSchemaParsedAheadIsReadAsOneAfterAnother()
    {
        var fs = new RootedFileSystem(Path.Combine(RepoPaths.SharedDirectory("qemu-schemas")!, "v8.2.0"));
        string sequential = Outcome("qapi-schema.json", fs, 0);
        Assert.Contains("In file included from qapi-schema.json:", sequential);
        for (int run = 0; run < 5; run++)
        {
            var options = new QapiSchemaOptions();
            QapiSchemaParser p = QapiSchemaParser.Parse("qapi-schema.json", fs, options, Workers);
            Assert.Equal(sequential, Describe(p, options));
        }
    }

    /// <summary>
    /// A file system that holds the read of <c>a.json</c> until <c>b.json</c>, included after it, has been
    /// read: only a parse that reads ahead gets past it without the timeout.
    /// </summary>
    private sealed class AheadGate(InMemorySchemaFileSystem files) : ISchemaFileSystem
    {
        private readonly ManualResetEventSlim _laterRead = new();

        public bool LaterReadFirst { get; private set; }

        public string ReadAllText(string path)
        {
            if (path == "a.json")
            {
                LaterReadFirst = _laterRead.Wait(TimeSpan.FromSeconds(60));
            }

            string text = files.ReadAllText(path);
            if (path == "b.json")
            {
                _laterRead.Set();
            }

            return text;
        }

        public string GetFullPath(string path) => files.GetFullPath(path);
    }

    [Fact]
    public void AnErrorInAnIncludeParsedFirstWaitsForTheEarlierFiles()
    {
        // b.json, with its error on line 1, is parsed before a.json (the gate), whose error is on line 3:
        // a.json's is the first error in reading order, so it is the one reported.
        var gate = new AheadGate(Files(
            ("main.json", "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n"),
            ("a.json", "{ 'struct': 'A', 'data': { } }\n\n{ 'struct': 'A2', 'data': [ }\n"),
            ("b.json", "{ 'struct': 'B', 'data': { } ]\n")));
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchemaParser.Parse("main.json", gate, null, 2));
        Assert.True(gate.LaterReadFirst, "b.json was not read while a.json was held");
        Assert.Equal("In file included from main.json:1:\na.json:3:29: expected '{', '[', ']', string, or boolean", e.ToString());
    }

    [Fact]
    public void AFileParsedAheadIsParsedByAnotherThread()
    {
        var gate = new AheadGate(Files(
            ("main.json", "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n"),
            ("a.json", "{ 'struct': 'A', 'data': { } }\n"),
            ("b.json", "{ 'struct': 'B', 'data': { } }\n")));
        QapiSchemaParser p = QapiSchemaParser.Parse("main.json", gate, null, 2);
        Assert.True(gate.LaterReadFirst);
        Assert.True(p.ParsedAhead >= 1, $"{p.ParsedAhead} files parsed ahead");
        Assert.Equal(new[] { "include", "struct", "include", "struct" }, p.Exprs.Select(e => e.Expr.Keys[0]));
        Assert.Equal("In file included from main.json:2:\nb.json:1", p.Exprs[3].Info.ToString());
    }
}
