using System;
using System.Collections.Generic;

namespace QapiGen.Compat;

/// <summary>
/// The rules behind findings, by their stable id (<see cref="Finding.Kind"/>): what acceptance
/// files, SARIF rules and annotations name. An id, once published, is never renamed or reused.
/// </summary>
public static class CompatRules
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["command-removed"] = "A command was removed: clients that send it are refused.",
        ["command-added"] = "A command was added.",
        ["event-removed"] = "An event was removed: clients waiting for it never get it.",
        ["event-added"] = "An event was added.",
        ["allow-oob-removed"] = "A command no longer allows out-of-band execution.",
        ["allow-oob-added"] = "A command now allows out-of-band execution.",
        ["allow-preconfig-removed"] = "A command is no longer allowed in the preconfig state.",
        ["allow-preconfig-added"] = "A command is now allowed in the preconfig state.",
        ["now-deprecated"] = "Something became deprecated: clients are warned it will change.",
        ["no-longer-deprecated"] = "Something is no longer deprecated.",
        ["now-unstable"] = "Something became unstable.",
        ["no-longer-unstable"] = "Something is no longer unstable.",
        ["type-changed"] = "A type changed to an unrelated one.",
        ["type-widened"] = "A type now admits more values (breaks readers, not senders).",
        ["type-narrowed"] = "A type now admits fewer values (breaks senders, not readers).",
        ["alternative-removed"] = "An alternate no longer takes a kind of JSON value.",
        ["alternative-added"] = "An alternate now takes (or yields) another kind of JSON value.",
        ["value-removed"] = "An enum value was removed.",
        ["value-added"] = "An enum value was added (readers may receive it).",
        ["member-removed"] = "A member was removed.",
        ["member-renamed"] = "A member was renamed (or one removed and another added in its place).",
        ["member-added"] = "A member was added to output.",
        ["optional-member-removed"] = "An optional output member is no longer sent.",
        ["optional-member-added"] = "An optional input member was added.",
        ["mandatory-member-added"] = "A mandatory input member was added: old senders omit it and are refused.",
        ["member-now-mandatory"] = "An optional member became mandatory.",
        ["member-now-optional"] = "A mandatory member became optional.",
    };

    /// <summary>What an acceptance entry that accepts nothing is reported as.</summary>
    public const string UnusedAcceptance = "unused-acceptance";

    /// <summary>What a side that cannot be compared is reported as (machine formats).</summary>
    public const string InputError = "input-error";

    public static string Describe(string kind) => All.TryGetValue(kind, out string? d) ? d : kind;
}
