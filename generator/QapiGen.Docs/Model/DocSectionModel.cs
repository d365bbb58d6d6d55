namespace QapiGen.Docs.Model;

/// <summary>A tagged section of a doc comment (<c>Since</c>, <c>Returns</c>, <c>Example</c>, ...) or an untagged paragraph after the members.</summary>
public sealed class DocSectionModel
{
    /// <summary>The tag as written (<c>Since</c>, <c>Note</c>, <c>Examples</c>...); empty for untagged text.</summary>
    public string Tag { get; init; } = "";
    public string Text { get; init; } = "";
    /// <summary>Whether the section is an example (QMP wire traffic: <c>-&gt;</c> / <c>&lt;-</c> lines).</summary>
    public bool IsExample { get; init; }
}
