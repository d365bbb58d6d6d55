using System.Threading;
using QapiGen.Docs;
using QapiGen.Schema;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen render --template FILE [--template FILE]... SCHEMA -o DIR [-D SYMBOL]... [--lenient]</c>:
/// renders user Scriban templates over the schema's template model (docs/templates.md).
/// </summary>
public static class RenderCommand
{
    public static int Run(string[] args)
    {
        var a = new Arguments(args, new[] { "--lenient" }, new[] { "-o", "--output", "--template", "-t", "-D", "--define" });
        var schemaFile = a.Single("SCHEMA");
        var output = a.Value("-o") ?? a.Value("--output") ?? throw new UsageException("missing -o DIR");
        var templates = new System.Collections.Generic.List<string>(a.Values("--template"));
        templates.AddRange(a.Values("-t"));
        if (templates.Count == 0)
            throw new UsageException("missing --template FILE");
        var loaded = SchemaLoading.Load(schemaFile, new QapiSchemaOptions { Lenient = a.Has("--lenient") });
        SchemaLoading.PrintWarnings(loaded, System.Console.Error);
        if (loaded.Error != null)
        {
            System.Console.Error.WriteLine(loaded.Error);
            return ExitCodes.Failed;
        }
        var model = ModelBuilder.Build(loaded.Schema!, TemplateCommandSupport.Defines(a));
        return TemplateCommandSupport.Run("render", () =>
            UserTemplateRenderer.RenderAsync(model, templates, output, CancellationToken.None));
    }
}
