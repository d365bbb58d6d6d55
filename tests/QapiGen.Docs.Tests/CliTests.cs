using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Docs.Tests;

/// <summary><c>qapigen doc</c> and <c>qapigen render</c> as a user runs them: a real process, exit codes, messages.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = TestSchemas.TempDirectory("qapigen-cli-");

    public void Dispose() => Directory.Delete(_dir, true);

    private static Task<(int Code, string Out, string Err)> Qapigen(params string[] args) => QapigenProcess.Run(args);

    [Fact]
    public async Task DocWritesTheManual()
    {
        string output = Path.Combine(_dir, "html");
        (int code, string _, string? err) = await Qapigen("doc", TestSchemas.Sample, "-o", output);
        Assert.True(code == 0, err);
        Assert.Contains("wrote 7 files", err);
        Assert.Contains("id=\"do-thing\"", File.ReadAllText(Path.Combine(output, "sample.html")));
        Assert.Empty(LinkCrawler.Crawl(output, out _));
    }

    [Fact]
    public async Task DocRejectsAnUnknownFormat()
    {
        (int code, string _, string? err) = await Qapigen("doc", TestSchemas.Sample, "-o", _dir, "--format", "pdf");
        Assert.Equal(2, code);
        Assert.Contains("unknown format 'pdf'", err);
    }

    [Fact]
    public async Task RenderWritesEachTemplatesOutput()
    {
        string template = Path.Combine(_dir, "names.txt.scriban");
        File.WriteAllText(template, "{{ for c in schema.commands }}{{ c.name }}\n{{ end }}");
        string output = Path.Combine(_dir, "out");
        (int code, string _, string? err) = await Qapigen("render", "--template", template, TestSchemas.Sample, "-o", output, "-D", "CONFIG_BLUE");
        Assert.True(code == 0, err);
        // -D CONFIG_BLUE leaves out old-thing (if CONFIG_OLD).
        Assert.Equal("do-thing\n", File.ReadAllText(Path.Combine(output, "names.txt")));
    }

    [Fact]
    public async Task RenderReportsALocatedTemplateErrorAndExitsOne()
    {
        string template = Path.Combine(_dir, "bad.scriban");
        File.WriteAllText(template, "fine\n{{ if }}\n");
        (int code, string _, string? err) = await Qapigen("render", "--template", template, TestSchemas.Sample, "-o", Path.Combine(_dir, "out"));
        Assert.Equal(1, code);
        Assert.StartsWith(template + ":2:", err);
        Assert.DoesNotContain("   at ", err);
    }
}
