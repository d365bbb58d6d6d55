using System;
using System.Collections.Generic;

namespace QapiGen.Cli.CommandLine;

/// <summary>
/// The preprocessor symbols of <c>-D</c>: what a schema's <c>'if'</c> conditions are decided with.
/// <c>-D ALL</c> makes every condition true.
/// </summary>
/// <param name="Given">whether <c>-D</c> appeared at all (compat then keeps every conditional definition).</param>
internal sealed record Defines(bool Given, bool All, IReadOnlySet<string> Symbols)
{
    /// <summary>The symbol that defines every symbol.</summary>
    public const string AllSymbols = "ALL";

    public static Defines NotGiven { get; } = new(false, false, new HashSet<string>());

    public bool IsDefined(string symbol) => All || Symbols.Contains(symbol);

    /// <summary>The condition decider, or null when no <c>-D</c> was given.</summary>
    public Func<string, bool>? DeciderOrNull => Given ? IsDefined : null;

    /// <summary>The symbols as given, for the documentation model (which decides conditions by name only).</summary>
    public List<string> ToList() => All ? [.. Symbols, AllSymbols] : [.. Symbols];
}
