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
        bool markdown = format == "markdown";
        var links = new LinkResolver(model, markdown ? ".md" : ".html");
        var html = new DocTextFormatter(new LinkResolver(model, ".html"), markdown: false);
        var md = new DocTextFormatter(new LinkResolver(model, ".md"), markdown: true);
        DocTextFormatter current = markdown ? md : html;
        var globals = new ScriptObject();
        globals.SetValue("schema", model, true);
        globals.SetValue("format", format, true);
        globals.SetValue("ext", links.Extension, true);
        // Functions without reflection (TextFunction), so the native tool renders as the JIT one does.
        Function(globals, "link", 1, 1, (name, _) => name == null ? "" : links.Entity(name) ?? "");
        Function(globals, "page", 1, 1, (page, _) => links.Page(page ?? ""));
        Function(globals, "doc", 1, 2, (text, context) => current.Format(text, context));
        Function(globals, "example", 1, 1, (text, _) => current.Format(text, null, example: true));
        Function(globals, "doc_html", 1, 2, (text, context) => html.Format(text, context));
        Function(globals, "doc_md", 1, 2, (text, context) => md.Format(text, context));
        return globals;
    }

    private static void Function(ScriptObject globals, string name, int required, int count, Func<string?, string?, string> body) =>
        globals.SetValue(name, new TextFunction(required, count, body), true);
}
