using System;
using System.Collections.Generic;
using QapiGen.Cli.CommandLine;
using QapiGen.CodeGen;
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
        // The built-in commands a generated server answers although the schema lacks them are listed as it lists them.
        bool unmask = a.Has(Verbs.Unmask);
        IReadOnlyList<SchemaInfoEntry> entries = BuiltInCommands.AddTo(SchemaInfoBuilder.Build(schema, unmask: unmask), BuiltInCommands.Missing(schema), unmask);
        run.Out.Write(SchemaInfoJson.WriteReply(entries, c => c.Evaluate(defines.IsDefined)));
        run.Out.Write('\n');
        run.Out.Flush();
        return ExitCodes.Ok;
    }
}
