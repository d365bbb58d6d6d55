using System;
using System.Threading;
using QapiGen.Cli.CommandLine;
using QapiGen.Docs;

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
        var a = run.Args;
        var schema = SchemaLoading.LoadOrReport(a.Positional[0], SchemaLoading.Options(a), run.Err);
        if (schema == null)
            return ExitCodes.Failed;
        var model = ModelBuilder.Build(schema, a.Defines(Verbs.TemplateDefine).ToList());
        return TemplateCommandSupport.Run(run, () =>
            UserTemplateRenderer.RenderAsync(model, [.. a.Values(Verbs.Template)], a.Value(Verbs.Output)!, CancellationToken.None));
    }
}
