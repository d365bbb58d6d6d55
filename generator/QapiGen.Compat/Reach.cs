namespace QapiGen.Compat;

/// <summary>
/// How a client gets to the thing being compared: the path from a command or event
/// (<c>blockdev-add(arguments){qcow2}.encrypt</c>) and, when something on that path is marked
/// deprecated or unstable, what covers changes below it.
/// </summary>
/// <remarks><paramref name="Depth"/> counts the segments: how many references deep the comparison is.</remarks>
internal sealed record Reach(string Path, string? CoveredBy, int Depth = 0)
{
    public Reach Child(string segment, string? coveredBy = null)
        => new(Path + segment, CoveredBy ?? coveredBy, Depth + 1);
}

/// <summary>
/// The definition and member a change is reported against, with locations. <paramref name="Key"/>
/// identifies the definition for de-duplication when its display name is only a path (types read
/// from a reply have no names, and one type can be reached by many paths).
/// </summary>
internal sealed record Owner(string Definition, string? Member, SourceLocation? OldLocation, SourceLocation? NewLocation, string? Key = null);
