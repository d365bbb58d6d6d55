using System;
using System.Threading;
using QapiGen.Cli.CommandLine;
using QapiGen.Docs;
using QapiGen.Docs.Model;
using QapiGen.Schema.Model;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen doc SCHEMA -o DIR [--format html|markdown] [-D SYMBOL]... [--lenient] [--templates DIR]</c>:
/// writes the schema's reference manual (docs/reference-docs.md).
/// </summary>
public static class DocCommand
{
    public static int Run(string[] args) => VerbRunner.Run(Verbs.Doc, args);

    internal static int Execute(Invocation run)
    {
        ParsedArguments a = run.Args;
        DocFormat format = DocFormats.Parse(a.Value(Verbs.DocFormat) ?? "html");
        QapiSchema? schema = SchemaLoading.LoadOrReport(a.Positional[0], SchemaLoading.Options(a), run.Err);
        if (schema == null)
        {
            return ExitCodes.Failed;
        }

        SchemaModel model = ModelBuilder.Build(schema, a.Defines(Verbs.TemplateDefine).ToList());
        return TemplateCommandSupport.Run(run, () =>
            DocGenerator.GenerateAsync(model, format, a.Value(Verbs.Output)!, a.Value(Verbs.Templates), CancellationToken.None));
    }
}
