using System;
using System.Collections.Generic;
using System.IO;
using QapiGen.CodeGen.Emitters;

namespace QapiGen.CodeGen;

/// <summary>One generated C# file.</summary>
public sealed record GeneratedSource(string HintName, string Text);

/// <summary>The kinds of output, one emitter each.</summary>
public enum OutputKind
{
    Support,
    Types,
    Json,
    Commands,
    Events,
    Client,
    Introspection,
}

/// <summary>Runs the emitters over a <see cref="SchemaSpec"/>.</summary>
public static class CodeGenerator
{
    /// <summary>The outputs that need QapiGen.Runtime (dispatcher, events, client).</summary>
    public static bool NeedsRuntime(OutputKind kind) => kind is OutputKind.Commands or OutputKind.Events or OutputKind.Client;

    public static IEnumerable<OutputKind> AllKinds => (OutputKind[])Enum.GetValues(typeof(OutputKind));

    /// <summary>Whether a scope has output of <paramref name="kind"/> (the rest of the choice is inside the emitters).</summary>
    public static bool Includes(GenerationScope scope, OutputKind kind) => scope switch
    {
        GenerationScope.Types => kind is OutputKind.Support or OutputKind.Types,
        GenerationScope.Client => kind is not (OutputKind.Commands or OutputKind.Introspection),
        GenerationScope.Server => kind is not OutputKind.Client,
        _ => true,
    };

    public static string HintName(SchemaSpec spec, OutputKind kind) => spec.Namespace + "." + kind + ".g.cs";

    /// <summary>The text of one output. <paramref name="isDefined"/> resolves conditions for introspection.</summary>
    public static GeneratedSource Emit(SchemaSpec spec, OutputKind kind, Func<string, bool> isDefined)
    {
        var w = new SourceWriter();
        Write(spec, kind, isDefined, w);
        return new GeneratedSource(HintName(spec, kind), w.ToString());
    }

    /// <summary>
    /// Writes one output into <paramref name="utf8"/> as UTF-8 (the bytes of <see cref="Emit(SchemaSpec, OutputKind, Func{string, bool})"/>'s
    /// text, no byte order mark) as it is made: no string of it (the CLI's files are megabytes for QEMU's schema).
    /// </summary>
    public static void Emit(SchemaSpec spec, OutputKind kind, Func<string, bool> isDefined, Stream utf8)
    {
        var w = new SourceWriter(utf8);
        Write(spec, kind, isDefined, w);
        w.Flush();
    }

    private static void Write(SchemaSpec spec, OutputKind kind, Func<string, bool> isDefined, SourceWriter w)
    {
        switch (kind)
        {
            case OutputKind.Support: SupportEmitter.Emit(spec, w); break;
            case OutputKind.Types: TypesEmitter.Emit(spec, w); break;
            case OutputKind.Json: JsonEmitter.Emit(spec, w); break;
            case OutputKind.Commands: CommandsEmitter.Emit(spec, w); break;
            case OutputKind.Events: EventsEmitter.Emit(spec, w); break;
            case OutputKind.Client: ClientEmitter.Emit(spec, w); break;
            case OutputKind.Introspection: IntrospectionEmitter.Emit(spec, isDefined, w); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>The outputs <see cref="EmitAll"/> makes, in its order.</summary>
    public static IReadOnlyList<OutputKind> Outputs(SchemaSpec spec, bool withRuntime = true)
    {
        var list = new List<OutputKind>();
        foreach (OutputKind kind in AllKinds)
        {
            if ((withRuntime || !NeedsRuntime(kind)) && Includes(spec.Scope, kind))
            {
                list.Add(kind);
            }
        }
        return list;
    }

    /// <summary>Every output of the spec's scope (those needing the runtime only with <paramref name="withRuntime"/>).</summary>
    public static IReadOnlyList<GeneratedSource> EmitAll(SchemaSpec spec, Func<string, bool> isDefined, bool withRuntime = true)
    {
        var list = new List<GeneratedSource>();
        foreach (OutputKind kind in Outputs(spec, withRuntime))
        {
            list.Add(Emit(spec, kind, isDefined));
        }
        return list;
    }
}
