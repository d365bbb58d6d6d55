using System;
using System.IO;
using System.Threading;
using QapiGen.Docs;
using QapiGen.Schema;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen doc SCHEMA -o DIR [--format html|markdown] [-D SYMBOL]... [--lenient] [--templates DIR]</c>:
/// writes the schema's reference manual (docs/reference-docs.md).
/// </summary>
public static class DocCommand
{
    public static int Run(string[] args)
    {
        var a = new Arguments(args, new[] { "--lenient" }, new[] { "-o", "--output", "--format", "-D", "--define", "--templates" });
        var schemaFile = a.Single("SCHEMA");
        var output = a.Value("-o") ?? a.Value("--output") ?? throw new UsageException("missing -o DIR");
        DocFormat format;
        try
        {
            format = DocFormats.Parse(a.Value("--format") ?? "html");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var loaded = SchemaLoading.Load(schemaFile, new QapiSchemaOptions { Lenient = a.Has("--lenient") });
        SchemaLoading.PrintWarnings(loaded, Console.Error);
        if (loaded.Error != null)
        {
            Console.Error.WriteLine(loaded.Error);
            return ExitCodes.Failed;
        }
        var model = ModelBuilder.Build(loaded.Schema!, TemplateCommandSupport.Defines(a));
        return TemplateCommandSupport.Run("doc", () =>
            DocGenerator.GenerateAsync(model, format, output, a.Value("--templates"), CancellationToken.None));
    }
}
