namespace QapiGen.Docs.Model;

/// <summary>A feature of a definition, member or enum value.</summary>
public sealed class FeatureModel
{
    public string Name { get; init; } = "";
    /// <summary>The feature is <c>deprecated</c>.</summary>
    public bool Deprecated { get; init; }
    /// <summary>The feature is <c>unstable</c>.</summary>
    public bool Unstable { get; init; }
    /// <summary>The feature means something to the language itself (deprecated or unstable).</summary>
    public bool Special { get; init; }
    public ConditionModel Condition { get; init; } = new();
    /// <summary>Its description in the doc comment; empty when undocumented.</summary>
    public string Doc { get; init; } = "";
}
