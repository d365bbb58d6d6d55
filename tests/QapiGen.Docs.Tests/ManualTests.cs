using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Docs.Model;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Docs.Tests;

/// <summary>The reference manual of whole schemas: it renders, and every internal link and anchor resolves.</summary>
public sealed class ManualTests
{
    [SharedTheory("qemu-schemas/v8.2.0")]
    [InlineData("v8.2.0", DocFormat.Html)]
    [InlineData("v8.2.0", DocFormat.Markdown)]
    [InlineData("v8.2.0-qga", DocFormat.Html)]
    [InlineData("v8.2.0-qga", DocFormat.Markdown)]
    public async Task QemuSchemaRendersWithNoBrokenLinks(string version, DocFormat format)
    {
        string? file = TestSchemas.Qemu(version);
        Assert.True(file != null && File.Exists(file), $"no schema for {version}");
        SchemaModel model = TestSchemas.Model(file!);
        string dir = TestSchemas.TempDirectory("qapigen-doc-");
        try
        {
            RenderResult result = await DocGenerator.GenerateAsync(model, format, dir, null, CancellationToken.None);
            // One page per module with definitions or docs, plus the index (and the HTML assets).
            Assert.Equal(model.Modules.Count + (format == DocFormat.Html ? 4 : 1), result.Files.Count);
            List<string> broken = LinkCrawler.Crawl(dir, out int links);
            Assert.True(links > model.Entities.Count, $"only {links} links followed");
            Assert.True(broken.Count == 0, $"{broken.Count} broken links, e.g.\n" + string.Join("\n", broken.Take(20)));
            // Every definition is on its module's page.
            foreach (EntityModel e in model.Entities)
            {
                string page = File.ReadAllText(Path.Combine(dir, e.Page + format.Extension()));
                Assert.Contains($"id=\"{e.Anchor}\"", page);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task SampleManualShowsBadgesConditionsExamplesAndReferences()
    {
        SchemaModel model = TestSchemas.Model(TestSchemas.Sample);
        string dir = TestSchemas.TempDirectory("qapigen-doc-");
        try
        {
            await DocGenerator.GenerateAsync(model, DocFormat.Html, dir, null, CancellationToken.None);
            string main = File.ReadAllText(Path.Combine(dir, "sample.html"));
            string types = File.ReadAllText(Path.Combine(dir, "sample-types.html"));
            Assert.Contains("<span class=\"badge unstable\" title=\"experimental\">unstable</span>", main);
            Assert.Contains("<span class=\"badge deprecated\" title=\"use @do-thing\">deprecated</span>", main);
            Assert.Contains("<span class=\"cond\" title=\"#if defined(CONFIG_OLD)\">if CONFIG_OLD</span>", main);
            Assert.Contains("<span class=\"dir\">-&gt;</span> { &quot;execute&quot;: &quot;do-thing&quot;", main);
            Assert.Contains("<a class=\"ref\" href=\"sample.html#do-thing.target\"><code>target</code></a>", main);
            Assert.Contains("<a class=\"ref\" href=\"sample.html#THING_DONE\"><code>THING_DONE</code></a>", main);
            Assert.Contains("<span class=\"opt\">optional</span> <span class=\"default\">default 1</span>", main);
            Assert.Contains("[<a class=\"type\" href=\"sample-types.html#Result\">Result</a>]", main);
            Assert.Contains("<h3>Since</h3><p>1.2</p>", main);
            Assert.Contains("<h3>Note</h3><p>Only works on Tuesdays.</p>", main);
            Assert.Contains("<span class=\"cond\" title=\"#if defined(CONFIG_BLUE)\">if CONFIG_BLUE</span>", types);
            Assert.Contains("Branches on <code>kind</code>", types);
            Assert.Contains("<h1>Sample types</h1>", types);
            Assert.Empty(LinkCrawler.Crawl(dir, out _));
            string index = File.ReadAllText(Path.Combine(dir, "search-index.js"));
            Assert.Contains("[\"do-thing\",\"command\",\"sample.html#do-thing\"],", index);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task DefinesLeaveOutWhatTheirConditionsExclude()
    {
        SchemaModel all = TestSchemas.Model(TestSchemas.Sample);
        SchemaModel some = TestSchemas.Model(TestSchemas.Sample, "CONFIG_BLUE");
        Assert.Contains(all.Commands, c => c.Name == "old-thing");
        Assert.DoesNotContain(some.Commands, c => c.Name == "old-thing");
        Assert.Contains(some.Types.Single(t => t.Name == "Colour").Members, m => m.Name == "blue" && m.Condition.Enabled);
        Assert.DoesNotContain(some.Types.Single(t => t.Name == "Shape").Members, m => m.Name == "name");
        string dir = TestSchemas.TempDirectory("qapigen-doc-");
        try
        {
            await DocGenerator.GenerateAsync(some, DocFormat.Markdown, dir, null, CancellationToken.None);
            Assert.DoesNotContain("old-thing", File.ReadAllText(Path.Combine(dir, "sample.md")));
            Assert.Empty(LinkCrawler.Crawl(dir, out _));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task OverrideDirectoryReplacesOneShippedTemplate()
    {
        SchemaModel model = TestSchemas.Model(TestSchemas.Sample);
        string templates = TestSchemas.TempDirectory("qapigen-tpl-");
        string dir = TestSchemas.TempDirectory("qapigen-doc-");
        try
        {
            File.WriteAllText(Path.Combine(templates, "index.html.scriban"), "custom index of {{ schema.commands.size }} commands");
            await DocGenerator.GenerateAsync(model, DocFormat.Html, dir, templates, CancellationToken.None);
            Assert.Equal("custom index of 2 commands", File.ReadAllText(Path.Combine(dir, "index.html")));
            // The other templates are still the shipped ones.
            Assert.Contains("id=\"do-thing\"", File.ReadAllText(Path.Combine(dir, "sample.html")));
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(templates, true);
        }
    }
}
