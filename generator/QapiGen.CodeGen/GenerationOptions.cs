using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Model;

namespace QapiGen.CodeGen;

/// <summary>
/// What to generate from a schema: the side (<see cref="GenerationScope"/>) and, optionally, a subset of its
/// commands and events (<c>Commands="query-*;blockdev-*"</c>, <c>Events="BLOCK_JOB_*"</c>, see <see cref="NameFilter"/>).
/// A subset emits the commands and events it names and the types they reach, nothing else: once either list is
/// given, the other kind is empty unless it is given too (<c>Events="*"</c> keeps every event). The session's
/// own <c>qmp_capabilities</c> is always kept, since every server serves it.
/// </summary>
/// <remarks>Plain strings and an enum: the options are part of the equatable spec's inputs.
/// <c>FdCommands</c>: the commands that consume fds passed with them (globs as <c>Commands</c>; null: <see cref="DefaultFdCommands"/>);
/// only their client methods take <c>fds</c>.</remarks>
public sealed record GenerationOptions(GenerationScope Scope = GenerationScope.All, string? Commands = null, string? Events = null,
    string? FdCommands = null)
{
    /// <summary>Today's output: everything.</summary>
    public static GenerationOptions Default { get; } = new();

    /// <summary>QEMU's commands that take fds from the message: <c>getfd</c> (a named fd) and <c>add-fd</c> (an fd set).</summary>
    public const string DefaultFdCommands = "getfd;add-fd";

    /// <summary>A predicate: whether the command of that name consumes passed fds (one parse of the list).</summary>
    public System.Func<string, bool> FdCommandSelector() => (NameFilter.Parse(FdCommands) ?? NameFilter.Parse(DefaultFdCommands)!).Matches;

    /// <summary>Whether a subset of commands and events is chosen.</summary>
    public bool IsSubset => NameFilter.Parse(Commands) != null || NameFilter.Parse(Events) != null;

    /// <summary>Whether the command named <paramref name="wire"/> is generated.</summary>
    public bool ServesCommand(string wire) => !IsSubset || wire == "qmp_capabilities" || (NameFilter.Parse(Commands)?.Matches(wire) ?? false);

    /// <summary>Whether the event named <paramref name="wire"/> is generated.</summary>
    public bool ServesEvent(string wire) => !IsSubset || (NameFilter.Parse(Events)?.Matches(wire) ?? false);

    /// <summary>A predicate over command and event names for the builders (one parse of each list).</summary>
    public System.Func<string, bool, bool> Selector()
    {
        if (!IsSubset)
        {
            return (_, _) => true;
        }

        var commands = NameFilter.Parse(Commands);
        var events = NameFilter.Parse(Events);
        return (name, isEvent) => isEvent
            ? events?.Matches(name) ?? false
            : name == "qmp_capabilities" || (commands?.Matches(name) ?? false);
    }

    /// <summary>
    /// What the subset names in vain: one message per pattern that matches no command (or event) of
    /// <paramref name="schema"/>. A mistyped name would otherwise silently generate nothing.
    /// </summary>
    public IReadOnlyList<string> Problems(QapiSchema schema)
    {
        var list = new List<string>();
        // The built-ins are served whatever the schema defines: naming one is no mistake.
        var commands = schema.Commands.Select(c => c.Name).Concat(BuiltInCommands.Missing(schema)).ToList();
        var events = schema.Events.Select(e => e.Name).ToList();
        foreach (string p in NameFilter.Parse(Commands)?.Unmatched(commands) ?? Enumerable.Empty<string>())
        {
            list.Add($"Commands pattern '{p}' matches no command of the schema");
        }

        foreach (string p in NameFilter.Parse(Events)?.Unmatched(events) ?? Enumerable.Empty<string>())
        {
            list.Add($"Events pattern '{p}' matches no event of the schema");
        }

        // The default names QEMU's commands: a schema without them is no mistake, a list written out that names nothing is.
        foreach (string p in NameFilter.Parse(FdCommands)?.Unmatched(commands) ?? Enumerable.Empty<string>())
        {
            list.Add($"FdCommands pattern '{p}' matches no command of the schema");
        }

        return list;
    }

    /// <summary>Parses a scope name (case-insensitive); blank is <see cref="GenerationScope.All"/>; null when unknown.</summary>
    public static GenerationScope? ParseScope(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return GenerationScope.All;
        }
        // Spelt out rather than Enum.GetValues: the CLI is compiled ahead of time, and that call needs dynamic code.
        return text!.Trim().ToLowerInvariant() switch
        {
            "all" => GenerationScope.All,
            "client" => GenerationScope.Client,
            "server" => GenerationScope.Server,
            "types" => GenerationScope.Types,
            _ => null,
        };
    }
}
