namespace QapiGen.Docs.Model;

/// <summary>A use of a type: a member's, a command's return, a union's base, an array's elements.</summary>
public sealed class TypeRefModel
{
    /// <summary>The type's schema name (<c>intList</c> for an array of <c>int</c>).</summary>
    public string Name { get; init; } = "";
    /// <summary>As the manual writes it: <c>[int]</c> for arrays, otherwise the name.</summary>
    public string Display { get; init; } = "";
    public bool IsArray { get; init; }
    /// <summary>For arrays, the element type; null otherwise.</summary>
    public TypeRefModel? Element { get; init; }
    public bool IsBuiltin { get; init; }
    /// <summary>The JSON type on the wire: string, number, int, boolean, null, object, array, value.</summary>
    public string JsonType { get; init; } = "";
    /// <summary>The name of the documented entity to link to (the element type for arrays); null when there is none.</summary>
    public string? Target { get; init; }
}
