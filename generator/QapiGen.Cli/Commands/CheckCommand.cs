using System;

namespace QapiGen.Cli.Commands;

/// <summary><c>qapigen check SCHEMA</c>: exit 0 when valid, else print the first error and exit 1.</summary>
public static class CheckCommand
{
    public static int Run(string[] args)
    {
        var a = new Arguments(args, new[] { "--lenient-docs" });
        var file = a.Single("SCHEMA");
        var result = SchemaLoading.Load(file, new Schema.QapiSchemaOptions { LenientDocs = a.Has("--lenient-docs") });
        SchemaLoading.PrintWarnings(result, Console.Error);
        if (result.Error != null)
        {
            Console.Error.WriteLine(result.Error);
            return ExitCodes.Failed;
        }
        return ExitCodes.Ok;
    }
}
