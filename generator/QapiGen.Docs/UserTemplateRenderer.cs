using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Docs.Model;
using Scriban;
using Scriban.Runtime;

namespace QapiGen.Docs;

/// <summary>
/// <c>qapigen render</c>: user templates over the same model the manual uses. <c>NAME.scriban</c>
/// writes <c>NAME</c> into the output directory (a template without the extension writes its own name).
/// Templates get no <c>include</c> source and no file access; <c>format</c> is <c>html</c> for the
/// formatting functions (<c>doc_md</c> gives Markdown).
/// </summary>
public static class UserTemplateRenderer
{
    public static async Task<RenderResult> RenderAsync(SchemaModel model, IReadOnlyList<string> templateFiles,
        string outputDirectory, CancellationToken ct)
    {
        // Parse every template first: a broken one stops the run before anything is written.
        var parsed = new List<(string File, Scriban.Template Template)>();
        foreach (string file in templateFiles)
        {
            string text = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
            parsed.Add((file, ScribanHost.Parse(text, file)));
        }
        ScriptObject globals = TemplateGlobals.Create(model, "html");
        var rendered = new List<(string Name, string Text)>();
        foreach ((string? file, Template? template) in parsed)
        {
            ct.ThrowIfCancellationRequested();
            TemplateContext context = ScribanHost.CreateContext(globals, loader: null);
            rendered.Add((OutputName(file), ScribanHost.Render(template, context, file)));
        }
        var output = new OutputWriter(outputDirectory);
        foreach ((string? name, string? text) in rendered)
        {
            await output.WriteAsync(name, text, ct).ConfigureAwait(false);
        }

        return output.Result;
    }

    /// <summary><c>dir/client.py.scriban</c> → <c>client.py</c>.</summary>
    public static string OutputName(string templateFile)
    {
        string name = Path.GetFileName(templateFile);
        return name.EndsWith(".scriban", System.StringComparison.Ordinal) && name.Length > 8 ? name.Substring(0, name.Length - 8) : name;
    }
}
