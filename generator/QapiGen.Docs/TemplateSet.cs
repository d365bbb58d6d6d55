using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace QapiGen.Docs;

/// <summary>
/// The templates a documentation run may use, by name (<c>module.html.scriban</c>, <c>style.css</c>):
/// the shipped ones (embedded resources), each replaced by a file of the same name in the override
/// directory when there is one. It is also the only <c>include</c> source templates get: names
/// outside the set are refused, so a template cannot reach the file system.
/// </summary>
public sealed class TemplateSet : ITemplateLoader
{
    private const string ResourcePrefix = "QapiGen.Docs.Templates.";
    private readonly Dictionary<string, (string Text, string Path)> _templates = new(StringComparer.Ordinal);

    private TemplateSet() { }

    /// <summary>Every shipped template's name.</summary>
    public static IReadOnlyList<string> ShippedNames()
    {
        var names = new List<string>();
        foreach (string r in typeof(TemplateSet).Assembly.GetManifestResourceNames())
        {
            if (r.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                names.Add(r.Substring(ResourcePrefix.Length));
            }
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The shipped templates, with files of <paramref name="overrideDirectory"/> (if any) replacing those of the same name.</summary>
    public static async Task<TemplateSet> LoadAsync(string? overrideDirectory, CancellationToken ct)
    {
        var set = new TemplateSet();
        Assembly asm = typeof(TemplateSet).Assembly;
        foreach (string name in ShippedNames())
        {
            using Stream stream = asm.GetManifestResourceStream(ResourcePrefix + name)!;
            using var reader = new StreamReader(stream);
            set._templates[name] = (await reader.ReadToEndAsync(ct).ConfigureAwait(false), name);
        }
        if (overrideDirectory != null)
        {
            if (!Directory.Exists(overrideDirectory))
            {
                throw new DirectoryNotFoundException($"template directory '{overrideDirectory}' does not exist");
            }

            foreach (string file in Directory.EnumerateFiles(overrideDirectory))
            {
                string name = Path.GetFileName(file);
                if (set._templates.ContainsKey(name))
                {
                    set._templates[name] = (await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), file);
                }
            }
        }
        return set;
    }

    /// <summary>The text of a template of the set.</summary>
    public string Text(string name) => _templates[name].Text;

    /// <summary>Where a template of the set came from: its name when shipped, the override file otherwise (for error locations).</summary>
    public string PathOf(string name) => _templates[name].Path;

    public bool Contains(string name) => _templates.ContainsKey(name);

    string ITemplateLoader.GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        if (!_templates.ContainsKey(templateName))
        {
            throw new Scriban.Syntax.ScriptRuntimeException(callerSpan, $"no template '{templateName}' to include (only the documentation templates can be included)");
        }
        // The path names the template in error locations: the override file when there is one.
        return _templates[templateName].Path;
    }

    string ITemplateLoader.Load(TemplateContext context, SourceSpan callerSpan, string templatePath)
        => ByPath(templatePath);

    ValueTask<string?> ITemplateLoader.LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath)
        => new(ByPath(templatePath));

    private string ByPath(string path)
    {
        foreach ((string Text, string Path) t in _templates.Values)
        {
            if (t.Path == path)
            {
                return t.Text;
            }
        }
        throw new KeyNotFoundException(path);
    }
}
