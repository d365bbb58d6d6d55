using System;

namespace QapiGen.Compat;

/// <summary>
/// One accepted break from the acceptance file: the findings it covers (every criterion given must
/// hold; at least one is given) and why the break is acceptable.
/// </summary>
/// <param name="Kind">The rule id (<see cref="Finding.Kind"/>), e.g. <c>member-removed</c>.</param>
/// <param name="Definition">The definition (<see cref="Finding.Definition"/>).</param>
/// <param name="Member">The member, value or branch (<see cref="Finding.Member"/>).</param>
/// <param name="Path">The client's path (<see cref="Finding.Path"/>); a final <c>*</c> matches any rest.</param>
/// <param name="Reason">Why clients are not hurt, or why breaking them is decided; shown with each accepted finding.</param>
/// <param name="Location">The entry in the acceptance file.</param>
public sealed record Acceptance(string? Kind, string? Definition, string? Member, string? Path, string Reason, SourceLocation Location)
{
    public bool Matches(Finding f)
        => (Kind == null || Kind == f.Kind)
            && (Definition == null || Definition == f.Definition)
            && (Member == null || Member == f.Member)
            && (Path == null || PathMatches(Path, f.Path));

    private static bool PathMatches(string pattern, string path)
        => pattern.EndsWith("*", StringComparison.Ordinal)
            ? path.StartsWith(pattern.Substring(0, pattern.Length - 1), StringComparison.Ordinal)
            : pattern == path;

    /// <summary>What the entry selects, for messages: <c>kind member-removed, definition eject</c>.</summary>
    public string Describe()
    {
        var parts = new System.Collections.Generic.List<string>();
        if (Kind != null)
        {
            parts.Add("kind " + Kind);
        }

        if (Definition != null)
        {
            parts.Add("definition " + Definition);
        }

        if (Member != null)
        {
            parts.Add("member " + Member);
        }

        if (Path != null)
        {
            parts.Add("path " + Path);
        }

        return string.Join(", ", parts);
    }
}
