using System;
using QapiGen.Schema.Dump;

namespace QapiGen.Cli.Commands;

/// <summary><c>qapigen dump SCHEMA</c>: the resolved model in the reference test suite's <c>.out</c> format.</summary>
public static class DumpCommand
{
    public static int Run(string[] args)
    {
        var schema = SchemaLoading.LoadForVerb(args, out var exitCode);
        if (schema == null)
            return exitCode;
        // Raw UTF-8 without BOM, so the output compares byte for byte with .out files.
        var bytes = new System.Text.UTF8Encoding(false).GetBytes(SchemaDumper.Dump(schema));
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(bytes, 0, bytes.Length);
        return ExitCodes.Ok;
    }
}
