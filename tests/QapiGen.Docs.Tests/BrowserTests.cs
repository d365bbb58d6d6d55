using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Docs.Tests;

/// <summary>The QEMU v8.2.0 and guest-agent manuals, rendered once, opened in the class's tests.</summary>
public sealed class RenderedManuals : IAsyncLifetime
{
    public string Qemu { get; } = TestSchemas.TempDirectory("qapigen-browser-");
    public string GuestAgent { get; } = TestSchemas.TempDirectory("qapigen-browser-qga-");

    public async Task InitializeAsync()
    {
        if (Chromium.Executable == null || TestSchemas.Qemu("v8.2.0") == null)
        {
            return;
        }

        await DocGenerator.GenerateAsync(TestSchemas.Model(TestSchemas.Qemu("v8.2.0")!), DocFormat.Html, Qemu, null, CancellationToken.None);
        await DocGenerator.GenerateAsync(TestSchemas.Model(TestSchemas.Qemu("v8.2.0-qga")!), DocFormat.Html, GuestAgent, null, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Qemu, true);
        Directory.Delete(GuestAgent, true);
        return Task.CompletedTask;
    }

    public static string Url(string directory, string page) => new Uri(Path.Combine(directory, page)).AbsoluteUri;
}

/// <summary>A real browser opens the manual from the file system: pages paint, the search works offline.</summary>
public sealed class BrowserTests : IClassFixture<RenderedManuals>
{
    private readonly RenderedManuals _manuals;

    public BrowserTests(RenderedManuals manuals) => _manuals = manuals;

    [ChromiumFact]
    public async Task IndexAndCommandPageScreenshotsAreNotBlank()
    {
        // Desktop and phone widths. (Headless screenshots of a URL with a #fragment come out blank
        // whatever the page, so the command page is shot from its top; the crawler checks the anchors.)
        foreach ((int width, int height) in new[] { (1200, 900), (390, 844) })
        {
            foreach (string? page in new[] { "index.html", "block-core.html" })
            {
                PngImage shot = await Chromium.ScreenshotAsync(RenderedManuals.Url(_manuals.Qemu, page), width, height, CancellationToken.None);
                Assert.Equal(width, shot.Width);
                double ink = shot.InkRatio();
                Assert.True(ink > 0.03, $"{page} at {width}px: only {ink:P1} of the pixels differ from the background");
                Assert.True(shot.Colours() > 16, $"{page} at {width}px: only {shot.Colours()} colours");
            }
        }
    }

    [ChromiumFact]
    public async Task ABlankPageFailsThePixelCheck()
    {
        // The check above must tell a painted page from an empty one.
        string blank = Path.Combine(_manuals.Qemu, "blank-check.html");
        File.WriteAllText(blank, "<!DOCTYPE html><html><body></body></html>");
        try
        {
            PngImage shot = await Chromium.ScreenshotAsync(new Uri(blank).AbsoluteUri, 1200, 900, CancellationToken.None);
            Assert.True(shot.InkRatio() < 0.001, $"blank page: {shot.InkRatio():P1}");
        }
        finally
        {
            File.Delete(blank);
        }
    }

    [ChromiumFact]
    public async Task SearchFindsBlockdevAdd()
    {
        string dom = await Chromium.DumpDomAsync(RenderedManuals.Url(_manuals.Qemu, "index.html") + "?q=blockdev-add", CancellationToken.None);
        // The exact name ranks first.
        Assert.Contains("<ul id=\"results\" class=\"results\"><li><a href=\"block-core.html#blockdev-add\">blockdev-add<span class=\"kind\">command</span></a></li>", dom);
    }

    [ChromiumFact]
    public async Task SearchFromAModulePageFindsPartialNames()
    {
        string dom = await Chromium.DumpDomAsync(RenderedManuals.Url(_manuals.Qemu, "migration.html") + "?q=BLOCK_JOB", CancellationToken.None);
        Assert.Contains("<a href=\"block-core.html#BLOCK_JOB_COMPLETED\">BLOCK_JOB_COMPLETED<span class=\"kind\">event</span></a>", dom);
        Assert.DoesNotContain("results\" hidden", dom);
    }

    [ChromiumFact]
    public async Task SearchFindsGuestExecInTheGuestAgentManual()
    {
        string dom = await Chromium.DumpDomAsync(RenderedManuals.Url(_manuals.GuestAgent, "index.html") + "?q=guest-exec", CancellationToken.None);
        Assert.Matches("<ul id=\"results\" class=\"results\"><li><a href=\"[a-z-]+\\.html#guest-exec\">guest-exec<span class=\"kind\">command</span></a></li>", dom);
        Assert.Contains("guest-exec-status", dom);
    }
}
