using System;
using QapiGen.Schema.Dump;

namespace QapiGen.Cli.Commands;

/// <summary><c>qapigen dump SCHEMA</c>: the resolved model in the reference test suite's <c>.out</c> format.</summary>
public static class DumpCommand
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
        var stdout = Console.OpenStandardOutput();
        var bytes = new System.Text.UTF8Encoding(false).GetBytes(SchemaDumper.Dump(result.Schema!));
        stdout.Write(bytes, 0, bytes.Length);
        return ExitCodes.Ok;
    }
}
