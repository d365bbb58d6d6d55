namespace QapiGen.Compat;

/// <summary>
/// Where a definition or member is written: the file as the reader should open it (a path, or
/// <c>REV:path</c> for a file read from a git revision), its 1-based line and, when known, column.
/// </summary>
public sealed record SourceLocation(string File, int? Line, int? Column = null)
{
    /// <summary><c>FILE:LINE:COL</c>, as compilers print positions (shorter when line or column are unknown).</summary>
    public override string ToString()
        => Line is not int line ? File : Column is int col ? $"{File}:{line}:{col}" : $"{File}:{line}";
}
