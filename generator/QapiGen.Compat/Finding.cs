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
/// <param name="OldLocation">file:line in the old version, when known.</param>
/// <param name="NewLocation">file:line in the new version, when known.</param>
/// <param name="Reason">For <see cref="FindingClass.CoveredByFeature"/>, the feature that covers it.</param>
public sealed record Finding(
    FindingClass Class,
    Direction Direction,
    string Kind,
    string Definition,
    string? Member,
    string Message,
    string Path,
    string? OldLocation,
    string? NewLocation,
    string? Reason = null);
