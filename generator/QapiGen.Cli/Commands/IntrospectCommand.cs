using System;
using System.Collections.Generic;
using QapiGen.Cli.CommandLine;
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
    public static int Run(string[] args) => VerbRunner.Run(Verbs.Introspect, args);

    internal static int Execute(Invocation run)
    {
        ParsedArguments a = run.Args;
        QapiSchema? schema = SchemaLoading.LoadOrReport(a.Positional[0], SchemaLoading.Options(a), run.Err);
        if (schema == null)
        {
            return ExitCodes.Failed;
        }

        Defines defines = a.Defines(Verbs.Define);
        IReadOnlyList<SchemaInfoEntry> entries = SchemaInfoBuilder.Build(schema, unmask: a.Has(Verbs.Unmask));
        run.Out.Write(SchemaInfoJson.WriteReply(entries, c => c.Evaluate(defines.IsDefined)));
        run.Out.Write('\n');
        run.Out.Flush();
        return ExitCodes.Ok;
    }
}
