using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests.Robustness;

/// <summary>
/// Schemas whose size is in their depth: long base chains, long include chains, unions nested
/// through their branches. Base and include chains of any length load (the front end walks them
/// without recursion); what is still walked recursively is bounded, with a located error.
/// </summary>
public sealed class DeepSchemaTests : IDisposable
{
    private const int Deep = 25_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-deep-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>
    /// Struct i extends struct i+1: each is defined before its base, so checking the first walks
    /// the whole chain. Each adds one member.
    /// </summary>
    private static string BaseChain(int length, string? extra = null)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            string @base = i + 1 < length ? $", 'base': 'Link{i + 1}'" : "";
            sb.Append($"{{ 'struct': 'Link{i}'{@base}, 'data': {{ 'm{i}': 'int' }} }}\n");
        }
        sb.Append(extra);
        return sb.ToString();
    }

    [Fact]
    public async Task ABaseChain25000DeepLoadsInAChildQapigen()
    {
        string file = Path.Combine(_dir, "chain.json");
        File.WriteAllText(file, BaseChain(Deep, "{ 'command': 'use', 'data': 'Link0' }\n"));
        (int code, string _, string? err) = await QapigenProcess.Run("check", file);
        Assert.NotEqual(QapigenProcess.Aborted, code);
        Assert.True(code == 0, err);
    }

    [Fact]
    public async Task AnIncludeChainOf25000FilesLoadsInAChildQapigen()
    {
        for (int i = 0; i < Deep; i++)
        {
            string include = i + 1 < Deep ? $"{{ 'include': 'f{i + 1}.json' }}\n" : "";
            File.WriteAllText(Path.Combine(_dir, $"f{i}.json"), include + $"{{ 'struct': 'Def{i}', 'data': {{ 'a': 'int' }} }}\n");
        }
        (int code, string _, string? err) = await QapigenProcess.Run("check", Path.Combine(_dir, "f0.json"));
        Assert.NotEqual(QapigenProcess.Aborted, code);
        Assert.True(code == 0, err);
    }

    [Fact]
    public async Task AnErrorAtTheEndOfALongIncludeChainIsLocatedWithTheWholeChain()
    {
        const int files = 5_000;
        for (int i = 0; i < files; i++)
        {
            string text = i + 1 < files ? $"{{ 'include': 'f{i + 1}.json' }}\n" : "{ 'struct': 'Bad', 'data': { 'a': 'Missing' } }\n";
            File.WriteAllText(Path.Combine(_dir, $"f{i}.json"), text);
        }
        (int code, string _, string? err) = await QapigenProcess.Run("check", Path.Combine(_dir, "f0.json"));
        Assert.Equal(1, code);
        string[] lines = err.TrimEnd('\n').Split('\n');
        Assert.Equal(files - 1, lines.Count(l => l.StartsWith("In file included from ", StringComparison.Ordinal)));
        Assert.StartsWith($"In file included from {Path.Combine(_dir, "f0.json")}:1:", lines[0]);
        Assert.EndsWith($"f{files - 1}.json: In struct 'Bad':", lines[^2]);
        Assert.EndsWith($"f{files - 1}.json:1: member 'a' uses unknown type 'Missing'", lines[^1]);
    }

    [Fact]
    public void TheMembersOfALongChainComeBaseFirst()
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("c.json", BaseChain(2_000));
        var schema = QapiSchema.Load("c.json", fs);
        QapiSchemaObjectType first = schema.LookupEntity<QapiSchemaObjectType>("Link0")!;
        Assert.Equal(Enumerable.Range(0, 2_000).Reverse().Select(i => $"m{i}"), first.Members.Select(m => m.Name));
        Assert.Equal(new[] { "m1999" }, schema.LookupEntity<QapiSchemaObjectType>("Link1999")!.Members.Select(m => m.Name));
        Assert.Equal("Link1", first.Base!.Name);
    }

    [Fact]
    public void AClashDeepInAChainIsReportedAsTheReferenceReportsIt()
    {
        // Link0 redefines the member of the chain's last struct, 2,000 bases up.
        string text = BaseChain(2_000).Replace("'m0': 'int'", "'m1999': 'str'");
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("c.json", new InMemorySchemaFileSystem().Add("c.json", text)));
        Assert.Equal("c.json: In struct 'Link0':\nc.json:1: member 'm1999' collides with member 'm1999' of type 'Link1999'", e.ToString());
    }

    [Fact]
    public void StructsExtendingTheSameBaseEachSeeTheBaseAndNotEachOther()
    {
        // Left and Right both extend Mid and may reuse each other's member names, never the chain's;
        // whichever is checked second sees exactly the base's members.
        const string common = """
            { 'struct': 'Root', 'data': { 'r': 'int' } }
            { 'struct': 'Mid', 'base': 'Root', 'data': { 'm': 'int' } }
            { 'struct': 'Left', 'base': 'Mid', 'data': { 'x': 'int', 'y': 'int' } }
            { 'struct': 'Right', 'base': 'Mid', 'data': { 'x': 'str' } }
            { 'struct': 'Deeper', 'base': 'Left', 'data': { 'z': 'int' } }
            """;
        var schema = QapiSchema.Load("s.json", new InMemorySchemaFileSystem().Add("s.json", common));
        Assert.Equal("r m x y z", string.Join(" ", schema.LookupEntity<QapiSchemaObjectType>("Deeper")!.Members.Select(m => m.Name)));
        Assert.Equal("r m x", string.Join(" ", schema.LookupEntity<QapiSchemaObjectType>("Right")!.Members.Select(m => m.Name)));

        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("s.json",
            new InMemorySchemaFileSystem().Add("s.json", common + "\n{ 'struct': 'Other', 'base': 'Mid', 'data': { 'y': 'int', 'r': 'int' } }")));
        Assert.Equal("s.json: In struct 'Other':\ns.json:6: member 'r' collides with member 'r' of type 'Root'", e.ToString());
    }

    [Fact]
    public void ACycleOfBasesIsStillAnObjectContainingItself()
    {
        string text = BaseChain(3_000).Replace("{ 'struct': 'Link2999',", "{ 'struct': 'Link2999', 'base': 'Link0',");
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("c.json", new InMemorySchemaFileSystem().Add("c.json", text)));
        Assert.Equal("c.json: In struct 'Link0':\nc.json:1: object Link0 contains itself", e.ToString());
    }

    [Fact]
    public void UnionsNestedDeeperThanTheBoundThroughTheirBranchesAreALocatedError()
    {
        string Nest(int depth)
        {
            // Each level has its own tag member, so the levels' members do not clash.
            var sb = new StringBuilder("{ 'enum': 'Kind', 'data': [ 'a' ] }\n{ 'struct': 'Leaf', 'data': { 'x': 'int' } }\n");
            for (int i = 0; i < depth; i++)
            {
                sb.Append($"{{ 'union': 'Nest{i}', 'base': {{ 'k{i}': 'Kind' }}, 'discriminator': 'k{i}', 'data': {{ 'a': '{(i + 1 < depth ? $"Nest{i + 1}" : "Leaf")}' }} }}\n");
            }

            return sb.ToString();
        }

        QapiSchema Load(string text) => QapiSchema.Load("u.json", new InMemorySchemaFileSystem().Add("u.json", text));
        QapiSchema ok = Load(Nest(QapiSchemaObjectType.MaxUnionNesting));
        Assert.NotNull(ok.LookupType("Nest0"));
        QapiError e = Assert.ThrowsAny<QapiError>(() => Load(Nest(QapiSchemaObjectType.MaxUnionNesting + 1)));
        Assert.Matches(@"^u\.json: In union 'Nest\d+':\nu\.json:\d+: unions nest more than 200 levels deep through their branches$", e.ToString());

        // The same unions defined innermost first: each check is shallow, the nesting still counts.
        string reversed = string.Join("\n", Nest(QapiSchemaObjectType.MaxUnionNesting + 1).Split('\n').Reverse());
        e = Assert.ThrowsAny<QapiError>(() => Load(reversed));
        Assert.Contains("unions nest more than 200 levels deep through their branches", e.ToString());
    }

    [Fact]
    public void OlderLanguageConditionsNestedTooDeepAreALocatedError()
    {
        string cond = new string('(', 5_000) + "defined(A)" + new string(')', 5_000);
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("c.json", $"{{ 'struct': 'Ss', 'data': {{}}, 'if': '{cond}' }}\n");
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("c.json", fs, new QapiSchemaOptions { Lenient = true }));
        Assert.Equal("c.json:1: 'if' condition nests more than 200 levels deep", e.ToString());
    }
}
