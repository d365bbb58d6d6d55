using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Docs.Model;
using Xunit;

namespace QapiGen.Docs.Tests;

/// <summary>Broken or hostile templates fail with a located error (file, line, column), never another exception, and write nothing.</summary>
public sealed class TemplateErrorTests : IDisposable
{
    private readonly string _dir = TestSchemas.TempDirectory("qapigen-tpl-");

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<TemplateError> Fails(string templateText)
    {
        string file = Path.Combine(_dir, "t.txt.scriban");
        File.WriteAllText(file, templateText);
        SchemaModel model = TestSchemas.Model(TestSchemas.Sample);
        string output = Path.Combine(_dir, "out");
        TemplateError error = await Assert.ThrowsAsync<TemplateError>(() => UserTemplateRenderer.RenderAsync(model, new[] { file }, output, CancellationToken.None));
        Assert.Equal(file, error.File);
        Assert.False(File.Exists(Path.Combine(output, "t.txt")));
        return error;
    }

    [Fact]
    public async Task ParseErrorIsLocated()
    {
        TemplateError e = await Fails("line one\n  {{ x = }}\n");
        Assert.True(e.Line == 2 && e.Column == 10, e.Message);
        Assert.StartsWith(Path.Combine(_dir, "t.txt.scriban") + ":2:10: error: ", e.Message);
    }

    [Fact]
    public async Task UnknownVariableIsLocated()
    {
        TemplateError e = await Fails("ok\nok {{ schema.title }} {{ no_such_thing }}\n");
        Assert.Equal(2, e.Line);
        Assert.Equal(26, e.Column);
        Assert.Contains("no_such_thing", e.Reason);
    }

    [Fact]
    public async Task IncludeIsRefusedForUserTemplates()
    {
        string secret = Path.Combine(_dir, "secret.txt");
        File.WriteAllText(secret, "do not read");
        TemplateError e = await Fails("{{ include '" + secret + "' }}");
        Assert.Equal(1, e.Line);
        Assert.Equal(4, e.Column);
        Assert.DoesNotContain("do not read", e.Message);
    }

    [Fact]
    public async Task RunawayLoopStopsAtTheLimit()
    {
        TemplateError e = await Fails("{{ for i in 1..1000000 }}{{ end }}");
        Assert.Equal(1, e.Line);
        Assert.Contains("loop", e.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunawayRecursionStopsAtTheLimit()
    {
        TemplateError e = await Fails("{{ func f(n) }}{{ f n + 1 }}{{ end }}\n{{ f 0 }}");
        Assert.Contains("recursive", e.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ErrorInAShippedTemplateOverrideIsLocatedInTheOverride()
    {
        File.WriteAllText(Path.Combine(_dir, "entity.html.scriban"), "<section id=\"{{ e.anchor }}\">\n{{ e.name | no_such_function }}</section>");
        SchemaModel model = TestSchemas.Model(TestSchemas.Sample);
        TemplateError error = await Assert.ThrowsAsync<TemplateError>(() => DocGenerator.GenerateAsync(model, DocFormat.Html, Path.Combine(_dir, "out"), _dir, CancellationToken.None));
        Assert.Equal(Path.Combine(_dir, "entity.html.scriban"), error.File);
        Assert.Equal(2, error.Line);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")) && Directory.GetFiles(Path.Combine(_dir, "out")).Length > 0, "a failed run wrote pages");
    }
}
