namespace QapiGen.Compat;

/// <summary>
/// One observable difference between the old and the new version.
/// </summary>
/// <param name="Class">Its effect on clients.</param>
/// <param name="Direction">Whether found on the way in (arguments) or out (returns, events).</param>
/// <param name="Kind">A stable identifier of the rule, e.g. <c>member-removed</c>.</param>
/// <param name="Definition">The definition concerned: its schema name when known, else where it is reached from.</param>
/// <param name="Member">The member, enum value, branch or flag concerned; null when the definition itself changed.</param>
/// <param name="Message">What changed, in words.</param>
/// <param name="Path">How a client reaches it, e.g. <c>blockdev-add(arguments){qcow2}.encrypt</c>.</param>
/// <param name="OldLocation">Where it is written in the old version, when known.</param>
/// <param name="NewLocation">Where it is written in the new version, when known.</param>
/// <param name="Reason">For <see cref="FindingClass.CoveredByFeature"/>, the feature that covers it.</param>
public sealed record Finding(
    FindingClass Class,
    Direction Direction,
    string Kind,
    string Definition,
    string? Member,
    string Message,
    string Path,
    SourceLocation? OldLocation,
    SourceLocation? NewLocation,
    string? Reason = null)
{
    /// <summary>Set when an entry of the acceptance file accepts this finding.</summary>
    public Acceptance? AcceptedBy { get; init; }

    /// <summary>Breaking and not accepted: fails the gate.</summary>
    public bool Fails => Class.IsBreaking() && AcceptedBy == null;

    /// <summary>
    /// For something gone from the new version: where its definition is now (the command whose
    /// argument was removed), so an annotation can sit in the changed file; null when the
    /// definition is gone too or the new side has no locations.
    /// </summary>
    public SourceLocation? Anchor { get; init; }

    /// <summary>Where to point a reader first: the new version when the thing still exists there, else the old one.</summary>
    public SourceLocation? PrimaryLocation => NewLocation ?? OldLocation;
}
