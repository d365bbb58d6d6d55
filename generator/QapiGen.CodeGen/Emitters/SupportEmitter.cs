using System.Collections.Generic;

namespace QapiGen.CodeGen.Emitters;

/// <summary>
/// The per-namespace support code the other emitted files stand on, in pieces (one concept each, a file each)
/// emitted where the scope uses them: the records' support in every scope; with JSON (every scope but
/// <c>Types</c>) the input error, paths, name and enum tables and the writers; the strict readers' support on a
/// server, the readers of output's on a client, and the reader of each built-in type the side reads. <c>All</c>
/// gets every piece.
/// </summary>
internal static partial class SupportEmitter
{
    public static void Emit(SchemaSpec spec, SourceWriter w)
    {
        w.Raw(Emitter.Header(spec.Namespace));
        Piece(w, Records);
        if (spec.Scope == GenerationScope.Types)
        {
            return;
        }

        Piece(w, JsonCore);
        if (spec.Scope != GenerationScope.Client)
        {
            Piece(w, StrictReading);
        }

        if (spec.Scope != GenerationScope.Server)
        {
            Piece(w, OutputReading);
        }

        w.Raw("public static partial class QapiJson\n{\n");
        bool first = true;
        foreach (string reader in BuiltinReaders(spec))
        {
            if (!first)
            {
                w.Raw("\n");
            }

            first = false;
            Piece(w, reader);
        }
        w.Raw("}\n");
    }

    private static void Piece(SourceWriter w, string text) => w.Raw(Tabbed.GetOrAdd(text, Tabs)).Raw("\n");

    // The pieces as the writer indents (a tab per level where the source has four spaces), each made once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Tabbed = new();

    private static string Tabs(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            int spaces = 0;
            while (spaces < line.Length && line[spaces] == ' ')
            {
                spaces++;
            }

            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append('\t', spaces / 4).Append(' ', spaces % 4).Append(line, spaces, line.Length - spaces);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The readers of built-in types the scope's generated code calls, with the readers they stand on, in a fixed
    /// order. A client reads what replies and events reach, a server what arguments reach; <c>All</c> has them all
    /// (its readers are a public API).
    /// </summary>
    private static IEnumerable<string> BuiltinReaders(SchemaSpec spec)
    {
        var kinds = new HashSet<TypeKind>();
        switch (spec.Scope)
        {
            case GenerationScope.Client:
                TypeReach.From(spec.Structs, spec.Unions, spec.Alternates, TypeReach.OutputRoots(spec.Commands, spec.Events), builtins: kinds);
                break;
            case GenerationScope.Server:
                TypeReach.From(spec.Structs, spec.Unions, spec.Alternates, TypeReach.InputRoots(spec.Commands), builtins: kinds);
                break;
            default:
                for (TypeKind k = 0; k < TypeKind.Enum; k++)
                {
                    kinds.Add(k);
                }

                break;
        }

        bool signed = kinds.Contains(TypeKind.Int32) || kinds.Contains(TypeKind.Int16) || kinds.Contains(TypeKind.Int8);
        bool unsigned = kinds.Contains(TypeKind.UInt32) || kinds.Contains(TypeKind.UInt16) || kinds.Contains(TypeKind.UInt8);
        foreach ((bool needed, string text) in new[]
        {
            (kinds.Contains(TypeKind.Str), ReadStr),
            (kinds.Contains(TypeKind.Bool), ReadBool),
            (kinds.Contains(TypeKind.Null), ReadNull),
            (kinds.Contains(TypeKind.Any), ReadAny),
            (kinds.Contains(TypeKind.Number), ReadNumber),
            (signed || kinds.Contains(TypeKind.Int) || kinds.Contains(TypeKind.Int64), ReadInt),
            (kinds.Contains(TypeKind.Int64), ReadInt64),
            (kinds.Contains(TypeKind.Int32), ReadInt32),
            (kinds.Contains(TypeKind.Int16), ReadInt16),
            (kinds.Contains(TypeKind.Int8), ReadInt8),
            (signed, ReadSigned),
            (unsigned || kinds.Contains(TypeKind.UInt64) || kinds.Contains(TypeKind.Size), ReadUInt64),
            (kinds.Contains(TypeKind.Size), ReadSize),
            (kinds.Contains(TypeKind.UInt32), ReadUInt32),
            (kinds.Contains(TypeKind.UInt16), ReadUInt16),
            (kinds.Contains(TypeKind.UInt8), ReadUInt8),
            (unsigned, ReadUnsigned),
        })
        {
            if (needed)
            {
                yield return text;
            }
        }
    }
}
