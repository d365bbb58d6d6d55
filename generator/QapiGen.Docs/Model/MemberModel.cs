using System.Collections.Generic;

namespace QapiGen.Docs.Model;

/// <summary>A member of an object type or a command's / event's arguments, an enum value, or a union / alternate branch.</summary>
public sealed class MemberModel
{
    /// <summary>The wire name (without the <c>*</c> of optional members).</summary>
    public string Name { get; init; } = "";
    /// <summary><c>member</c>, <c>value</c> or <c>branch</c>.</summary>
    public string Role { get; init; } = "";
    /// <summary>The member's or branch's type; null for enum values.</summary>
    public TypeRefModel? Type { get; init; }
    public bool Optional { get; init; }
    /// <summary>The default the description states (<c>(default: X)</c>, <c>Default X.</c>); empty when it names none (the schema language has no defaults).</summary>
    public string Default { get; init; } = "";
    public ConditionModel Condition { get; init; } = new();
    public List<FeatureModel> Features { get; init; } = new();
    public bool Deprecated { get; init; }
    public bool Unstable { get; init; }
    /// <summary>Its description in the doc comment; empty when undocumented.</summary>
    public string Doc { get; init; } = "";
    /// <summary>The entity that defines it (for members inherited from a base: the base).</summary>
    public string DefinedIn { get; init; } = "";
    /// <summary>Whether it comes from the base type rather than the definition itself.</summary>
    public bool Inherited { get; init; }
    /// <summary>The anchor of the member on the entity's page (<c>entity-name.member-name</c>).</summary>
    public string Anchor { get; init; } = "";
}
