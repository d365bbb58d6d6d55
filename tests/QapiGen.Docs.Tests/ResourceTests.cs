using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Docs.Model;
using Xunit;

namespace QapiGen.Docs.Tests;

/// <summary>Runs alone: it counts the process's open file descriptors, which other tests would change.</summary>
[CollectionDefinition(nameof(ResourceTests), DisableParallelization = true)]
public sealed class ResourceTestsCollection { }

/// <summary>Rendering closes what it opens: templates (embedded or overrides) and output files.</summary>
[Collection(nameof(ResourceTests))]
public sealed class ResourceTests
{
    private static int OpenFds() => Directory.GetFiles("/proc/self/fd").Length;

    [Fact]
    public async Task RepeatedRendersLeaveNoFileOpen()
    {
        if (!Directory.Exists("/proc/self/fd"))
        {
            return;
        }

        SchemaModel model = TestSchemas.Model(TestSchemas.Sample);
        string templates = TestSchemas.TempDirectory("qapigen-tpl-");
        string dir = TestSchemas.TempDirectory("qapigen-doc-");
        try
        {
            File.WriteAllText(Path.Combine(templates, "style.css"), "body { color: black }");
            // Warm up (lazy runtime handles), then count.
            await DocGenerator.GenerateAsync(model, DocFormat.Html, dir, templates, CancellationToken.None);
            int before = OpenFds();
            for (int i = 0; i < 30; i++)
            {
                await DocGenerator.GenerateAsync(model, i % 2 == 0 ? DocFormat.Html : DocFormat.Markdown, dir, templates, CancellationToken.None);
                await UserTemplateRenderer.RenderAsync(model, new[] { Path.Combine(System.AppContext.BaseDirectory, "Samples", "every-field.txt.scriban") }, dir, CancellationToken.None);
            }
            int after = OpenFds();
            // 30 runs write over 300 files: a leak per file or per run would show; a few descriptors of runtime housekeeping may come and go.
            Assert.True(after <= before + 3, $"open descriptors grew from {before} to {after}");
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(templates, true);
        }
    }
}
