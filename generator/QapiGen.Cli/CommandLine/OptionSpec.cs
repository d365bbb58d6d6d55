using System.Collections.Generic;

namespace QapiGen.Cli.CommandLine;

/// <summary>
/// One option of a verb, as the parser reads it and the help describes it. <paramref name="Name"/> is
/// the long spelling (<c>--output</c>) and the option's identity; <paramref name="Alias"/> the short
/// one (<c>-o</c>), if any; <paramref name="Value"/> names the value (<c>DIR</c>), null for a switch.
/// </summary>
/// <param name="Help">what the option does, one sentence without a final full stop.</param>
/// <param name="Repeatable">given more than once, every value counts (otherwise the last one does).</param>
/// <param name="Required">the verb cannot run without it.</param>
/// <param name="Choices">the values allowed, when they are a fixed set.</param>
internal sealed record OptionSpec(
    string Name,
    string? Alias,
    string? Value,
    string Help,
    bool Repeatable = false,
    bool Required = false,
    IReadOnlyList<string>? Choices = null)
{
    /// <summary>How the help and the messages write it: <c>-o, --output DIR</c>.</summary>
    public string Spelling => (Alias != null ? Alias + ", " : "") + Name + (Value != null ? " " + Value : "");

    /// <summary>The shortest way to write it with its value, for messages: <c>-o DIR</c>.</summary>
    public string Short => (Alias ?? Name) + (Value != null ? " " + Value : "");
}
