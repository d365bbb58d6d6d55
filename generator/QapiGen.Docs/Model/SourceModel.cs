namespace QapiGen.Docs.Model;

/// <summary>Where something was written: the schema file (as the front end names it) and the line.</summary>
public sealed class SourceModel
{
    public string File { get; init; } = "";
    /// <summary>1-based; 0 when the front end does not know it.</summary>
    public int Line { get; init; }
    /// <summary><c>file:line</c>, as error messages print it.</summary>
    public override string ToString() => Line > 0 ? File + ":" + Line : File;
}
