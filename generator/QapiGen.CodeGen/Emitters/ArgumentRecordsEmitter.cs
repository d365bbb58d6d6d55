using System.Linq;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// Emits a record per command holding its arguments (<c>QueryStatusArguments</c>), what the overrides of
/// <c>QapiCommandsBase</c> receive. An argument the schema adds later is one more property, so an override
/// written before it keeps compiling; a positional method would change signature. Mandatory arguments are
/// <c>required</c>, optional ones nullable, as in every generated record. A command without arguments gets an
/// empty record for the same reason: it may gain an optional argument.
/// </summary>
internal static class ArgumentRecordsEmitter
{
    public static void Emit(SourceWriter w, SchemaSpec spec)
    {
        foreach (CommandSpec c in spec.Commands.Where(c => c.ArgumentsName != null && !c.IsBuiltIn))
        {
            w.If(c.If);
            Emitter.Summary(w, $"The arguments of <c>{c.Wire}</c>, as <see cref=\"QapiCommandsBase\"/> hands them to its override.");
            if (c.Args.Count == 0)
            {
                w.Line($"public sealed partial record class {c.ArgumentsName} {{ }}");
            }
            else
            {
                w.Open($"public sealed partial record class {c.ArgumentsName}");
                TypesEmitter.EmitMembers(w, c.Args);
                w.Close();
            }
            w.EndIf(c.If);
            w.Line();
        }
    }
}
