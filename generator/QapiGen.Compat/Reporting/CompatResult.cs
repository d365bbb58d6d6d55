using System.Collections.Generic;
using System.Linq;

namespace QapiGen.Compat;

/// <summary>A finished comparison, as every format reports it.</summary>
public sealed class CompatResult
{
    public CompatResult(string oldName, string newName, IReadOnlyList<Finding> findings, bool showCompatible,
        string? acceptanceFile = null, IReadOnlyList<Acceptance>? unusedAcceptances = null,
        bool oldNamesAreFiles = true, bool newNamesAreFiles = true)
    {
        OldNamesAreFiles = oldNamesAreFiles;
        NewNamesAreFiles = newNamesAreFiles;
        OldName = oldName;
        NewName = newName;
        Findings = findings;
        ShowCompatible = showCompatible;
        AcceptanceFile = acceptanceFile;
        UnusedAcceptances = unusedAcceptances ?? new List<Acceptance>();
    }

    /// <summary>
    /// Whether the old side's file names are files of the working tree (false for a git revision or
    /// an archive): only those can carry annotations, as <c>file=</c> or a SARIF artifact.
    /// </summary>
    public bool OldNamesAreFiles { get; }

    public bool NewNamesAreFiles { get; }

    public string OldName { get; }

    public string NewName { get; }

    /// <summary>Every finding, accepted ones marked.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>Whether compatible findings are listed (<c>--all</c>); they are always counted.</summary>
    public bool ShowCompatible { get; }

    public string? AcceptanceFile { get; }

    /// <summary>Acceptance entries that accept no breaking finding: stale, reported so they are removed.</summary>
    public IReadOnlyList<Acceptance> UnusedAcceptances { get; }

    public IEnumerable<Finding> Shown => Findings.Where(f => ShowCompatible || f.Class != FindingClass.Compatible);

    /// <summary>Whether the gate fails: a breaking finding that no entry accepts.</summary>
    public bool Fails => Findings.Any(f => f.Fails);

    public int Count(FindingClass c) => Findings.Count(f => f.Class == c && f.AcceptedBy == null);

    public int AcceptedCount => Findings.Count(f => f.AcceptedBy != null);

    /// <summary>Where to point a reader for <paramref name="f"/>: its location, else the file of the side that has it.</summary>
    public SourceLocation LocationOf(Finding f) => f.PrimaryLocation ?? new SourceLocation(NewName, null);

    /// <summary>Whether <see cref="LocationOf"/> names a file of the working tree.</summary>
    public bool IsFile(Finding f) => f.NewLocation != null || f.OldLocation == null ? NewNamesAreFiles : OldNamesAreFiles;

    /// <summary>
    /// Where an annotation goes: a file of the working tree, preferably where the thing is or was,
    /// else (something gone, seen in a revision or an archive) its definition in the new version;
    /// null when there is none.
    /// </summary>
    public SourceLocation? AnnotationLocation(Finding f)
        => IsFile(f) ? LocationOf(f) : f.Anchor != null && NewNamesAreFiles ? f.Anchor : null;

    /// <summary><c>eject.force</c>: the definition and, when the finding is about one, the member.</summary>
    public static string Subject(Finding f) => f.Member != null ? f.Definition + "." + f.Member : f.Definition;

    public string Summary()
        => $"{OldName} -> {NewName}: {Count(FindingClass.BreakingForSenders)} breaking for senders, "
            + $"{Count(FindingClass.BreakingForReaders)} breaking for readers, {Count(FindingClass.CoveredByFeature)} covered by a feature, "
            + $"{Count(FindingClass.Compatible)} compatible, {AcceptedCount} accepted"
            + (UnusedAcceptances.Count > 0 ? $", {UnusedAcceptances.Count} unused acceptance{(UnusedAcceptances.Count == 1 ? "" : "s")}" : "");
}
