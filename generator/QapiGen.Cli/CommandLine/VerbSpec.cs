using System;
using System.Collections.Generic;

namespace QapiGen.Cli.CommandLine;

/// <summary>
/// One verb of <c>qapigen</c>: how it is called, what it does, its arguments and options, and the code
/// that runs it. Everything the help prints comes from here (<see cref="Verbs"/> lists them all).
/// </summary>
/// <param name="Synopses">the argument patterns after the verb's name, e.g. <c>SCHEMA [options]</c>.</param>
/// <param name="Summary">one line for the list of verbs.</param>
/// <param name="Description">what the verb does and what its exit status means, for its help.</param>
/// <param name="Arguments">the positional arguments, in order, with what each is.</param>
/// <param name="Validate">checks across arguments beyond "exactly these positionals" (null: exactly <paramref name="Arguments"/>).</param>
internal sealed record VerbSpec(
    string Name,
    IReadOnlyList<string> Synopses,
    string Summary,
    string Description,
    IReadOnlyList<(string Name, string Help)> Arguments,
    IReadOnlyList<OptionSpec> Options,
    Func<Invocation, int> Run,
    Action<ParsedArguments>? Validate = null);
