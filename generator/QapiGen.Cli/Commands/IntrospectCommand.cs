using System;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen introspect SCHEMA [-D SYMBOL]... [-u]</c>: prints the reply to <c>query-qmp-schema</c>
/// that code generated with those preprocessor symbols gives (<c>-D ALL</c>: every condition true),
/// laid out byte for byte as QEMU prints it, to diff against a live server.
/// </summary>
public static class IntrospectCommand
{
    public const string Usage = "usage: qapigen introspect SCHEMA [-D SYMBOL]... [-u] [--lenient-docs | --lenient]";

    public static int Run(string[] args)
    {
        var cl = CommandLine.Parse(args, "introspect", out var error);
        if (error != null)
        {
            Console.Error.WriteLine("qapigen introspect: " + error);
            Console.Error.WriteLine(Usage);
            return ExitCodes.Usage;
        }
        try
        {
            var schema = QapiSchema.Load(cl.Schema!, null, cl.SchemaOptions());
            foreach (var warning in schema.Warnings)
                Console.Error.WriteLine("warning: " + warning);
            var entries = SchemaInfoBuilder.Build(schema, unmask: cl.Unmask);
            var stdout = Console.Out;
            stdout.Write(SchemaInfoJson.WriteReply(entries, c => c.Evaluate(cl.IsDefined)));
            stdout.Write('\n');
            stdout.Flush();
            return ExitCodes.Ok;
        }
        catch (QapiError e)
        {
            Console.Error.WriteLine(e.ToString());
            return ExitCodes.Failed;
        }
    }
}
