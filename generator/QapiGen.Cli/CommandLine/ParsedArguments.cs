using System;
using System.Collections.Generic;

namespace QapiGen.Cli.CommandLine;

/// <summary>A verb's command line once parsed: the positional arguments and each option's values.</summary>
internal sealed class ParsedArguments
{
    private static readonly string[] None = [];
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    /// <summary><c>-h</c> or <c>--help</c> was given: the verb prints its help instead of running.</summary>
    public bool HelpRequested { get; set; }

    internal void Add(OptionSpec option, string value)
    {
        if (!_values.TryGetValue(option.Name, out List<string>? list))
        {
            _values[option.Name] = list = [];
        }

        list.Add(value);
    }

    public bool Has(OptionSpec option) => _values.ContainsKey(option.Name);

    /// <summary>Every value given, in order (a switch given twice: two empty strings).</summary>
    public IReadOnlyList<string> Values(OptionSpec option) => _values.TryGetValue(option.Name, out List<string>? list) ? list : None;

    /// <summary>The value of an option that is not repeatable: the last one given, or null.</summary>
    public string? Value(OptionSpec option) => _values.TryGetValue(option.Name, out List<string>? list) ? list[list.Count - 1] : null;

    /// <summary>The <c>-D</c> symbols: each value may hold several, separated by ',' or ';'.</summary>
    public Defines Defines(OptionSpec option)
    {
        if (!_values.TryGetValue(option.Name, out List<string>? list))
        {
            return CommandLine.Defines.NotGiven;
        }

        var symbols = new HashSet<string>(StringComparer.Ordinal);
        bool all = false;
        foreach (string value in list)
        {
            foreach (string symbol in value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (symbol == CommandLine.Defines.AllSymbols)
                {
                    all = true;
                }
                else
                {
                    symbols.Add(symbol);
                }
            }
        }
        return new Defines(true, all, symbols);
    }
}
