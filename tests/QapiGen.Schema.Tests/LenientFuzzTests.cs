using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Schema.Tests;

/// <summary>
/// The older language (<see cref="QapiSchemaOptions.Lenient"/>, what <c>qapigen compat --lenient</c>
/// reads) never crashes the front end either: QEMU's real schemas, mutated where the older language
/// differs (simple unions, string conditions, old pragma names) and where types are named, end in a
/// model and its introspection or in a located error, never in another exception.
/// </summary>
public class LenientFuzzTests
{
    private const int Mutations = 240;
    private static readonly string[] Versions = { "v5.2.0", "v6.0.0", "v6.2.0", "v7.0.50", "v8.2.0" };
    private readonly ITestOutputHelper _output;

    public LenientFuzzTests(ITestOutputHelper output) => _output = output;

    // Values that are unknown, ill-formed or of the wrong shape for the key they replace.
    private static readonly string[] Values =
    {
        "'Missing'", "['Missing']", "[]", "{}", "['str', 'int']", "{ 'type': 'Missing' }", "{ 'type': ['Missing'] }",
        "{ 'type': 'str', 'if': 'defined(' }", "{ 'type': 'int', 'if': [] }", "{ 'type': {} }", "'q_empty'", "'QType'",
        "'defined(CONFIG_A) ||'", "'!defined(CONFIG_A) && defined(CONFIG_B)'", "['defined(CONFIG_A)', 'CONFIG_B']",
        "[ 'defined(A)', [] ]", "'any'", "'null'", "true", "'int'", "'*x'", "'x-Odd_Name'", "'q_obj_X-wrapper'",
        "'KindKind'", "'type'", "'data'",
    };

    // Keys, inserted into a definition: some meaningless for its kind, some of the older language.
    private static readonly string[] Entries =
    {
        "'base': 'Missing', ", "'discriminator': 'type', ", "'discriminator': 'kind', ", "'if': 'defined(CONFIG_X)', ",
        "'if': 'defined(CONFIG_X', ", "'if': ['defined(A)', 'defined(B) || B'], ", "'features': [ 'deprecated' ], ",
        "'features': [ { 'name': 'f', 'if': 'defined(X)' } ], ", "'boxed': true, ", "'gen': false, ", "'prefix': 'P', ",
        "'returns': 'Missing', ", "'returns': ['Missing'], ", "'data': { 'type': 'Missing' }, ", "'allow-oob': true, ",
    };

    private static readonly string[] Definitions =
    {
        "{ 'union': 'FuzzSimple', 'data': { 'a': 'Missing', 'b': ['int'] } }",
        "{ 'union': 'FuzzSimple', 'data': { 'kind': 'str' } }",
        "{ 'union': 'FuzzSimple', 'base': 'Missing', 'data': { 'a': 'str' } }",
        "{ 'union': 'FuzzSimple', 'data': { 'a': { 'type': 'str', 'if': 'defined(X)' }, 'b': 'FuzzSimple' } }",
        "{ 'union': 'FuzzSimple', 'data': {} }",
        "{ 'union': 'FuzzSimple', 'data': { 'a': 'any' } }",
        "{ 'union': 'FuzzSimple', 'data': { 'a': 'str' } }\n{ 'enum': 'FuzzSimpleKind', 'data': [ 'a' ] }",
        "{ 'union': 'FuzzSimple', 'data': { 'a': 'str' } }\n{ 'struct': 'q_obj_str-wrapper', 'data': {} }",
        "{ 'command': 'fuzz_cmd', 'data': { 'Bad_Name': 'int' }, 'if': 'defined(A) && !defined(B)' }",
        "{ 'pragma': { 'returns-whitelist': [ 'x' ], 'name-case-whitelist': 'x' } }",
        "{ 'pragma': { 'name-case-whitelist': [ 1 ] } }",
        "{ 'include': 'missing.json' }",
    };

    private static readonly Regex Quoted = new("'[^'\\n]*'", RegexOptions.Compiled);
    private static readonly Regex Definition = new("^\\{ *'(struct|union|enum|alternate|command|event)'", RegexOptions.Compiled | RegexOptions.Multiline);

    [SharedFact("qemu-schemas")]
    public async Task MutatedQemuSchemasEndInAModelOrALocatedError()
    {
        string dir = RepoPaths.SharedDirectory("qemu-schemas")!;
        var sources = Versions
            .Select(v => Path.Combine(dir, v))
            .Where(Directory.Exists)
            .Select(d => Directory.GetFiles(d, "*.json").ToDictionary(f => Path.GetFileName(f)!, File.ReadAllText))
            .ToList();
        Assert.NotEmpty(sources);

        var random = new Random(5_2_0);
        int models = 0, errors = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await Task.Run(() =>
        {
            for (int i = 0; i < Mutations; i++)
            {
                cts.Token.ThrowIfCancellationRequested();
                Dictionary<string, string> files = sources[i % sources.Count];
                var names = files.Keys.Where(n => n != "qapi-schema.json").ToList();
                string name = names[random.Next(names.Count)];
                string text = Mutate(files[name], random);
                var fs = new InMemorySchemaFileSystem();
                foreach (KeyValuePair<string, string> kv in files)
                {
                    fs.Add(kv.Key, kv.Key == name ? text : kv.Value);
                }

                try
                {
                    var schema = QapiSchema.Load("qapi-schema.json", fs, new QapiSchemaOptions { Lenient = true, LenientDocs = true });
                    // What `qapigen compat` builds from the model.
                    SchemaInfoJson.WriteReply(SchemaInfoBuilder.Build(schema));
                    models++;
                }
                catch (QapiError e)
                {
                    Assert.NotNull(e.Info);
                    Assert.Matches(@"^(In file included from .*\n)*(.*: In .*\n)?[^:\n]+\.json:\d+(:\d+)?: \S", e.ToString());
                    errors++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"mutation {i} of {name} crashed the front end: {e}\n--- {name} ---\n{Excerpt(text, files[name])}");
                }
            }
        }, cts.Token);
        _output.WriteLine($"{Mutations} mutations: {models} models, {errors} located errors");
        Assert.Equal(Mutations, models + errors);
        Assert.True(errors > 0 && models > 0, "mutations should produce both valid and invalid schemas");
    }

    /// <summary>One to three edits, each at a definition or a quoted string of the file.</summary>
    private static string Mutate(string text, Random random)
    {
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            MatchCollection strings = Quoted.Matches(text);
            MatchCollection defs = Definition.Matches(text);
            switch (random.Next(5))
            {
                case 0 when strings.Count > 0:
                {
                        // A quoted name or value replaced by another one of the file (a type used elsewhere, a key, ...).
                        Match s = strings[random.Next(strings.Count)];
                    text = text.Remove(s.Index, s.Length).Insert(s.Index, strings[random.Next(strings.Count)].Value);
                    break;
                }
                case 1 when strings.Count > 0:
                {
                        Match s = strings[random.Next(strings.Count)];
                    text = text.Remove(s.Index, s.Length).Insert(s.Index, Values[random.Next(Values.Length)]);
                    break;
                }
                case 2 when defs.Count > 0:
                {
                        // Right after the definition's opening '{'.
                        Match d = defs[random.Next(defs.Count)];
                    text = text.Insert(d.Index + 1, " " + Entries[random.Next(Entries.Length)]);
                    break;
                }
                case 3 when defs.Count > 0:
                {
                        Match d = defs[random.Next(defs.Count)];
                    text = text.Insert(d.Index, Definitions[random.Next(Definitions.Length)] + "\n");
                    break;
                }
                default:
                    text += "\n" + Definitions[random.Next(Definitions.Length)] + "\n";
                    break;
            }
        }
        return text;
    }

    /// <summary>The lines that differ from the original, for the failure message.</summary>
    private static string Excerpt(string mutated, string original)
    {
        var before = new HashSet<string>(original.Split('\n'));
        return string.Join("\n", mutated.Split('\n').Select((l, n) => (l, n)).Where(x => !before.Contains(x.l)).Select(x => $"{x.n + 1}: {x.l}"));
    }
}
