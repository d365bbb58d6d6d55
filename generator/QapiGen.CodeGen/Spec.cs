using System;
using System.Collections.Generic;
using System.Linq;

namespace QapiGen.CodeGen;

// The equatable spec the emitters work from: everything they need, as strings, flags and arrays with
// value equality. No model objects, no Roslyn symbols, so the incremental pipeline can cache on it.

/// <summary>What kind of value a type reference denotes.</summary>
public enum TypeKind
{
    Str, Number, Int, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Size, Bool, Null, Any,
    Enum, Struct, Union, Alternate, Array,
}

/// <summary>A reference to a type as generated C# sees it.</summary>
/// <param name="Kind">The kind of value.</param>
/// <param name="CsName">The C# type name without nullable annotation (<c>long</c>, <c>FdsetInfo</c>, <c>global::System.Collections.Generic.IReadOnlyList&lt;FdsetInfo&gt;</c>).</param>
/// <param name="QapiName">The schema name (<c>int</c>, <c>FdsetInfo</c>, <c>FdsetInfoList</c>).</param>
/// <param name="Element">The element type of arrays.</param>
/// <param name="ShortName">For schema-defined types, the unqualified C# name (method-name suffixes).</param>
public sealed record TypeRef(TypeKind Kind, string CsName, string QapiName, TypeRef? Element, string? ShortName = null)
{
    /// <summary>Whether the C# type is a value type (so optional members use <c>Nullable&lt;T&gt;</c>).</summary>
    public bool IsValueType => Kind switch
    {
        TypeKind.Str or TypeKind.Struct or TypeKind.Union or TypeKind.Alternate or TypeKind.Array => false,
        _ => true,
    };

    /// <summary>A name usable inside identifiers (reader/writer method suffixes).</summary>
    public string IdName => Kind == TypeKind.Array ? Element!.IdName + "List" : Kind switch
    {
        TypeKind.Str => "String",
        TypeKind.Number => "Number",
        TypeKind.Int => "Int",
        TypeKind.Int8 => "Int8",
        TypeKind.Int16 => "Int16",
        TypeKind.Int32 => "Int32",
        TypeKind.Int64 => "Int64",
        TypeKind.UInt8 => "UInt8",
        TypeKind.UInt16 => "UInt16",
        TypeKind.UInt32 => "UInt32",
        TypeKind.UInt64 => "UInt64",
        TypeKind.Size => "Size",
        TypeKind.Bool => "Bool",
        TypeKind.Null => "Null",
        TypeKind.Any => "Any",
        _ => ShortName ?? CsName,
    };

    public bool IsBuiltin => Kind < TypeKind.Enum;
}

/// <summary>An 'if' condition: a symbol, or all / any / not of conditions.</summary>
public sealed record CondSpec(string Op, string? Symbol, EquatableArray<CondSpec> Operands)
{
    public static CondSpec Name(string symbol) => new("name", symbol, EquatableArray<CondSpec>.Empty);

    public static CondSpec? And(CondSpec? a, CondSpec? b)
    {
        if (a == null)
        {
            return b;
        }

        if (b == null || a.Equals(b))
        {
            return a;
        }

        return new CondSpec("all", null, new EquatableArray<CondSpec>(new[] { a, b }));
    }

    /// <summary>The operand of <c>#if</c>: <c>CONFIG_A</c>, <c>(A &amp;&amp; B) || !C</c>.</summary>
    public string ToCSharp() => Gen(false);

    private string Gen(bool parens)
    {
        switch (Op)
        {
            case "name":
                return Symbol!;
            case "not":
                return "!" + Operands[0].Gen(true);
            default:
                string op = Op == "all" ? " && " : " || ";
                string text = string.Join(op, Operands.Select(o => o.Gen(true)));
                if (Operands.Count == 0)
                {
                    text = Op == "all" ? "true" : "false";
                }

                return parens && Operands.Count > 1 ? "(" + text + ")" : text;
        }
    }

    public bool Evaluate(Func<string, bool> isDefined) => Op switch
    {
        "name" => isDefined(Symbol!),
        "not" => !Operands[0].Evaluate(isDefined),
        "all" => Operands.All(o => o.Evaluate(isDefined)),
        _ => Operands.Any(o => o.Evaluate(isDefined)),
    };
}

/// <summary>A member of an object type, an argument of a command or a datum of an event.</summary>
public sealed record MemberSpec(
    string Wire, string CsName, string ParamName, TypeRef Type, bool Optional, CondSpec? If,
    bool Deprecated, bool Unstable, string? Doc, string? NotInBaseline = null)
{
    /// <summary>The C# type of the property / parameter, nullable when optional.</summary>
    public string CsType => Optional ? Type.CsName + "?" : Type.CsName;
}

/// <remarks><c>NotInBaseline</c> (here and on members, commands and events): the name of the baseline that lacks it, if any.</remarks>
public sealed record EnumValueSpec(string Wire, string CsName, CondSpec? If, bool Deprecated, bool Unstable, string? Doc, string? NotInBaseline = null);

public sealed record EnumSpec(string QapiName, string CsName, CondSpec? If, string? Doc, EquatableArray<EnumValueSpec> Values);

/// <summary>A struct: a class with its local members, deriving from its base's class.</summary>
public sealed record StructSpec(
    string QapiName, string CsName, CondSpec? If, string? Doc, string? BaseCsName,
    EquatableArray<MemberSpec> LocalMembers, EquatableArray<MemberSpec> AllMembers, bool IsBase);

/// <summary>A branch of a flat union: a nested sealed class named after the tag value.</summary>
/// <remarks>When the branch type is itself a union, <paramref name="UnionType"/> names it and the branch class
/// holds it in property <paramref name="ValueName"/> (its members are still flat on the wire).</remarks>
public sealed record UnionBranchSpec(string TagWire, string TagCsName, string ClassName, CondSpec? If, EquatableArray<MemberSpec> Members,
    TypeRef? UnionType = null, string? ValueName = null);

public sealed record UnionSpec(
    string QapiName, string CsName, CondSpec? If, string? Doc, EquatableArray<MemberSpec> BaseMembers, string TagWire,
    EquatableArray<UnionBranchSpec> Branches, string UnknownClassName = "Unknown");

public sealed record AlternateBranchSpec(string Wire, string ClassName, TypeRef Type, CondSpec? If, string? Doc);

public sealed record AlternateSpec(string QapiName, string CsName, CondSpec? If, string? Doc, EquatableArray<AlternateBranchSpec> Branches);

/// <param name="ArgumentsName">The C# name of the command's argument record (<c>QueryStatusArguments</c>), which the
/// evolution-safe <c>QapiCommandsBase</c> hands to its overrides; null for a command without one (boxed, 'gen': false, built in).</param>
/// <param name="TakesFds">Whether the command consumes fds passed with it (<see cref="GenerationOptions.FdCommands"/>):
/// only then does its client method take <c>fds</c>.</param>
public sealed record CommandSpec(
    string Wire, string CsName, CondSpec? If, string? Doc, EquatableArray<MemberSpec> Args, bool Boxed, TypeRef? BoxedType,
    TypeRef? Returns, string? ReturnsDoc, bool Gen, bool SuccessResponse, bool AllowOob, bool AllowPreconfig, bool Coroutine,
    bool Deprecated, bool Unstable, string? NotInBaseline = null, string? ArgumentsName = null, bool TakesFds = false)
{
    /// <summary>Commands the session or the generated table answer themselves: not in the handler interface.</summary>
    public bool IsBuiltIn => Wire == "qmp_capabilities" || Wire == "query-qmp-schema";
}

public sealed record EventSpec(
    string Wire, string CsName, string ClassName, CondSpec? If, string? Doc, EquatableArray<MemberSpec> Members,
    bool Boxed, TypeRef? BoxedType, bool Deprecated, bool Unstable, string? NotInBaseline = null);

/// <summary>The whole schema as the emitters see it (a subset: only what it serves), and the side to generate.</summary>
/// <remarks><c>BuiltIns</c>: the built-in commands the generated table answers with QEMU's definitions (<see cref="BuiltInCommands"/>), in QEMU's order.</remarks>
public sealed record SchemaSpec(
    string Namespace,
    EquatableArray<EnumSpec> Enums,
    EquatableArray<StructSpec> Structs,
    EquatableArray<UnionSpec> Unions,
    EquatableArray<AlternateSpec> Alternates,
    EquatableArray<TypeRef> Arrays,
    EquatableArray<CommandSpec> Commands,
    EquatableArray<EventSpec> Events,
    IntrospectionSpec Introspection,
    GenerationScope Scope = GenerationScope.All,
    EquatableArray<string> BuiltIns = default);
