using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Schema.Tests;

/// <summary>
/// Bad input never crashes the front end: every mutated schema ends in a model or a located
/// diagnostic, never in another exception, a hang or a stack overflow.
/// </summary>
public class FuzzTests
{
    private const int Mutations = 10_000;
    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    private static readonly string[] Fragments =
    {
        "{", "}", "[", "]", ":", ",", "'", "\n", "#", "##", "# @", " ", "\t", "\\", "true", "false",
        "'*", "'if'", "'data'", "'base'", "'type'", "'features'", "'union'", "'struct'", "'enum'", "'alternate'",
        "'command'", "'event'", "'boxed': true", "'include'", "'pragma'", "'discriminator'", "'all'", "'any'", "'not'",
        "'str'", "'int'", "'any'", "'null'", "['int']", "'Colour'", "'Shape'", "'q_obj_x'", "Features:", "Returns:",
        "Since:", "@", "'deprecated'", "'unstable'", "x-", "__org.qemu_", "'prefix'", "'gen': false",
    };

    [Fact]
    public async Task MutatedSamplesEndInAModelOrALocatedError()
    {
        var samples = new List<(string Dir, string Main, Dictionary<string, string> Files)>
        {
            (Path.Combine(AppContext.BaseDirectory, "Samples"), "sample.json", ReadDir(Path.Combine(AppContext.BaseDirectory, "Samples"))),
        };
        string? shared = RepoPaths.SharedDirectory("qapi-schema-tests");
        if (shared != null)
        {
            samples.Add((shared, "doc-good.json", ReadDir(shared)));
        }

        var random = new Random(20261122);
        var outcomes = new Dictionary<string, int> { ["model"] = 0, ["error"] = 0 };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await Task.Run(() =>
        {
            for (int i = 0; i < Mutations; i++)
            {
                cts.Token.ThrowIfCancellationRequested();
                (string _, string? main, Dictionary<string, string>? files) = samples[i % samples.Count];
                string name = i % 3 == 0 ? main : files.Keys.ElementAt(random.Next(files.Count));
                string text = Mutate(files[name], random);
                var fs = new InMemorySchemaFileSystem();
                foreach (KeyValuePair<string, string> kv in files)
                {
                    fs.Add(kv.Key, kv.Key == name ? text : kv.Value);
                }

                try
                {
                    QapiSchema.Load(main, fs);
                    outcomes["model"]++;
                }
                catch (QapiError e)
                {
                    Assert.NotNull(e.Info);
                    Assert.Matches(@"^(In file included from .*\n)*(.*: In .*\n)?[^:\n]+\.json:\d+(:\d+)?: \S", e.ToString());
                    outcomes["error"]++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"mutation {i} of {name} crashed the front end: {e}\n--- input ---\n{text}");
                }
            }
        }, cts.Token);
        _output.WriteLine($"{Mutations} mutations: {outcomes["model"]} models, {outcomes["error"]} located errors");
        Assert.Equal(Mutations, outcomes["model"] + outcomes["error"]);
        Assert.True(outcomes["error"] > 0 && outcomes["model"] > 0, "mutations should produce both valid and invalid schemas");
    }

    [Theory]
    [InlineData(100_000)]
    public void DeeplyNestedConditionsAndTypesAreRejectedNotOverflowed(int depth)
    {
        string cond = string.Concat(Enumerable.Repeat("{ 'not': ", depth)) + "'A'" + new string('}', depth);
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("n.json", "{ 'enum': 'E', 'data': [], 'if': " + cond + " }\n");
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("n.json", fs));
        Assert.StartsWith("n.json:1:", e.ToString());
    }

    private static Dictionary<string, string> ReadDir(string dir)
        => Directory.GetFiles(dir, "*.json").ToDictionary(f => Path.GetFileName(f)!, File.ReadAllText);

    private static string Mutate(string text, Random random)
    {
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int pos = text.Length == 0 ? 0 : random.Next(text.Length);
            int len = Math.Min(text.Length - pos, random.Next(1, 12));
            text = random.Next(4) switch
            {
                0 => text.Remove(pos, len),
                1 => text.Insert(pos, Fragments[random.Next(Fragments.Length)]),
                2 => text.Insert(pos, text.Substring(random.Next(Math.Max(1, text.Length - len)), len)),
                _ => text.Remove(pos, len).Insert(pos, Fragments[random.Next(Fragments.Length)]),
            };
        }
        return text;
    }
}
