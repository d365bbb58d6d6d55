using System;
using QapiGen.Docs.Model;
using Scriban.Runtime;

namespace QapiGen.Docs;

/// <summary>
/// What a template sees besides Scriban's built-ins: <c>schema</c> (the <see cref="SchemaModel"/>),
/// <c>format</c> and <c>ext</c>, and the functions <c>link</c>, <c>page</c>, <c>doc</c>, <c>example</c>,
/// <c>doc_html</c>, <c>doc_md</c> (documented in docs/templates.md).
/// </summary>
public static class TemplateGlobals
{
    /// <param name="format"><c>html</c> or <c>markdown</c>: what <c>doc</c>, <c>example</c> and <c>link</c> produce.</param>
    public static ScriptObject Create(SchemaModel model, string format)
    {
        var markdown = format == "markdown";
        var links = new LinkResolver(model, markdown ? ".md" : ".html");
        var html = new DocTextFormatter(new LinkResolver(model, ".html"), markdown: false);
        var md = new DocTextFormatter(new LinkResolver(model, ".md"), markdown: true);
        var current = markdown ? md : html;
        var globals = new ScriptObject();
        globals.SetValue("schema", model, true);
        globals.SetValue("format", format, true);
        globals.SetValue("ext", links.Extension, true);
        globals.Import("link", new Func<string?, string>(name => name == null ? "" : links.Entity(name) ?? ""));
        globals.Import("page", new Func<string, string>(links.Page));
        globals.Import("doc", new Func<string?, string?, string>((text, context) => current.Format(text, context)));
        globals.Import("example", new Func<string?, string>(text => current.Format(text, null, example: true)));
        globals.Import("doc_html", new Func<string?, string?, string>((text, context) => html.Format(text, context)));
        globals.Import("doc_md", new Func<string?, string?, string>((text, context) => md.Format(text, context)));
        return globals;
    }
}
