using System.Collections.Generic;

namespace QapiGen.Docs.Model;

/// <summary>
/// A documented definition: a command, event or type. Fields that do not apply to a kind are empty
/// (empty lists, null type references, false), never missing, so a template can touch any of them.
/// </summary>
public sealed class EntityModel
{
    public string Name { get; init; } = "";
    /// <summary><c>command</c>, <c>event</c>, <c>enum</c>, <c>struct</c>, <c>union</c>, <c>alternate</c> or <c>builtin</c>.</summary>
    public string Kind { get; init; } = "";
    /// <summary>The module (schema file) it is defined in.</summary>
    public string Module { get; init; } = "";
    /// <summary>The output page (without extension) holding it.</summary>
    public string Page { get; init; } = "";
    /// <summary>The anchor on that page (the name, which is unique in a schema).</summary>
    public string Anchor { get; init; } = "";
    public DocModel? Doc { get; init; }
    public ConditionModel Condition { get; init; } = new();
    public List<FeatureModel> Features { get; init; } = new();
    public bool Deprecated { get; init; }
    public bool Unstable { get; init; }
    /// <summary>Where it is defined; null for built-in types.</summary>
    public SourceModel? Source { get; init; }
    /// <summary>Members: of a struct or union (base members first), a command's or event's arguments, an enum's values.</summary>
    public List<MemberModel> Members { get; init; } = new();
    /// <summary>A union's base type when it is a named type; null otherwise.</summary>
    public TypeRefModel? Base { get; init; }
    /// <summary>Union or alternate branches; null for other kinds.</summary>
    public VariantsModel? Variants { get; init; }
    /// <summary>A command's or event's named argument type (with <c>boxed</c> or a named <c>data</c>); null for inline arguments.</summary>
    public TypeRefModel? Arguments { get; init; }
    /// <summary>A command's return type; null when it returns nothing.</summary>
    public TypeRefModel? Returns { get; init; }
    public bool Boxed { get; init; }
    public bool AllowOob { get; init; }
    public bool AllowPreconfig { get; init; }
    public bool Coroutine { get; init; }
    /// <summary>Whether a command sends a reply (false for <c>'success-response': false</c>).</summary>
    public bool SuccessResponse { get; init; } = true;
    /// <summary>An enum's C prefix when the schema sets one; empty otherwise.</summary>
    public string Prefix { get; init; } = "";
    /// <summary>A built-in type's JSON type; empty for other kinds.</summary>
    public string JsonType { get; init; } = "";
}
