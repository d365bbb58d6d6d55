using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Docs.Model;
using Scriban;
using Scriban.Runtime;

namespace QapiGen.Docs;

/// <summary>
/// <c>qapigen doc</c>: the reference manual of a schema. <c>index</c> plus one page per module, each
/// rendered by the templates <c>index.FORMAT.scriban</c> / <c>module.FORMAT.scriban</c> (which include
/// <c>entity.FORMAT.scriban</c> and, for HTML, <c>head</c> / <c>foot</c>); HTML also gets
/// <c>style.css</c>, <c>search.js</c> and the generated <c>search-index.js</c>.
/// </summary>
public static class DocGenerator
{
    public static async Task<RenderResult> GenerateAsync(SchemaModel model, DocFormat format, string outputDirectory,
        string? templateDirectory, CancellationToken ct)
    {
        TemplateSet set = await TemplateSet.LoadAsync(templateDirectory, ct).ConfigureAwait(false);
        string ext = format.Extension();
        string suffix = (format == DocFormat.Html ? ".html" : ".md") + ".scriban";
        ScriptObject globals = TemplateGlobals.Create(model, format.Name());
        Template index = ScribanHost.Parse(set.Text("index" + suffix), set.PathOf("index" + suffix));
        Template modulePage = ScribanHost.Parse(set.Text("module" + suffix), set.PathOf("module" + suffix));
        // Every page is rendered before anything is written: a template error leaves no half manual.
        var pages = new List<(string Name, string Text)>();
        TemplateContext context = ScribanHost.CreateContext(globals, set);
        pages.Add(("index" + ext, ScribanHost.Render(index, context, set.PathOf("index" + suffix))));
        foreach (ModuleModel m in model.Modules)
        {
            ct.ThrowIfCancellationRequested();
            // One context per page: template-level variables do not leak from page to page; included
            // templates are parsed once per context, cheap next to rendering.
            context = ScribanHost.CreateContext(globals, set);
            var page = new Scriban.Runtime.ScriptObject();
            page.SetValue("module", m, true);
            context.PushGlobal(page);
            pages.Add((m.Page + ext, ScribanHost.Render(modulePage, context, set.PathOf("module" + suffix))));
        }
        var output = new OutputWriter(outputDirectory);
        foreach ((string? name, string? text) in pages)
        {
            await output.WriteAsync(name, text, ct).ConfigureAwait(false);
        }

        if (format == DocFormat.Html)
        {
            await output.WriteAsync("style.css", set.Text("style.css"), ct).ConfigureAwait(false);
            await output.WriteAsync("search.js", set.Text("search.js"), ct).ConfigureAwait(false);
            await output.WriteAsync("search-index.js", SearchIndex.Build(model, new LinkResolver(model, ext)), ct).ConfigureAwait(false);
        }
        return output.Result;
    }
}
