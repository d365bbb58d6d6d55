using System;
using System.Threading;
using QapiGen.Cli.CommandLine;
using QapiGen.Docs;
using QapiGen.Docs.Model;
using QapiGen.Schema.Model;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen render --template FILE [--template FILE]... SCHEMA -o DIR [-D SYMBOL]... [--lenient]</c>:
/// renders user Scriban templates over the schema's template model (docs/templates.md).
/// </summary>
public static class RenderCommand
{
    public static int Run(string[] args) => VerbRunner.Run(Verbs.Render, args);

    internal static int Execute(Invocation run)
    {
        ParsedArguments a = run.Args;
        QapiSchema? schema = SchemaLoading.LoadOrReport(a.Positional[0], SchemaLoading.Options(a), run.Err);
        if (schema == null)
        {
            return ExitCodes.Failed;
        }

        SchemaModel model = ModelBuilder.Build(schema, a.Defines(Verbs.TemplateDefine).ToList());
        return TemplateCommandSupport.Run(run, () =>
            UserTemplateRenderer.RenderAsync(model, [.. a.Values(Verbs.Template)], a.Value(Verbs.Output)!, CancellationToken.None));
    }
}
