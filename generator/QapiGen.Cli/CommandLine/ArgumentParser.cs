using System;
using System.Collections.Generic;

namespace QapiGen.Cli.CommandLine;

/// <summary>
/// The one command-line reader of every verb, POSIX-style: options anywhere among the arguments;
/// <c>--name VALUE</c> or <c>--name=VALUE</c>; <c>-x VALUE</c> or <c>-xVALUE</c> (<c>-DCONFIG_X</c>);
/// <c>--</c> ends the options; <c>-</c> alone is an argument (standard input, where a verb reads it).
/// </summary>
internal static class ArgumentParser
{
    /// <exception cref="UsageException">an unknown option, a missing value, a bad choice, wrong arguments.</exception>
    public static ParsedArguments Parse(VerbSpec verb, IReadOnlyList<string> args)
    {
        var parsed = new ParsedArguments();
        // -h anywhere before "--" asks for the help, whatever else is wrong with the line.
        foreach (string arg in args)
        {
            if (arg == "--")
            {
                break;
            }

            if (arg is "-h" or "--help")
            {
                parsed.HelpRequested = true;
                return parsed;
            }
        }
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-')
            {
                parsed.Positional.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }
            (OptionSpec? option, string? attached) = Find(verb, arg);
            if (option.Value == null)
            {
                if (attached != null)
                {
                    throw new UsageException($"option {option.Name} takes no value");
                }

                parsed.Add(option, "");
                continue;
            }
            string? value = attached;
            if (value == null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"option {arg} needs a value: {option.Short}");
                }

                value = args[++i];
            }
            if (option.Choices != null && !Contains(option.Choices, value))
            {
                throw new UsageException($"unknown {option.Value.ToLowerInvariant()} '{value}' ({string.Join(", ", option.Choices)})"
                    + Suggestions.DidYouMean(value, option.Choices));
            }

            parsed.Add(option, value);
        }
        foreach (OptionSpec option in verb.Options)
        {
            if (option.Required && !parsed.Has(option))
            {
                throw new UsageException($"missing {option.Short}");
            }
        }
        if (verb.Validate != null)
        {
            verb.Validate(parsed);
        }
        else
        {
            if (parsed.Positional.Count < verb.Arguments.Count)
            {
                throw new UsageException($"missing {verb.Arguments[parsed.Positional.Count].Name}");
            }

            if (parsed.Positional.Count > verb.Arguments.Count)
            {
                throw new UsageException($"unexpected argument '{parsed.Positional[verb.Arguments.Count]}'");
            }
        }
        return parsed;
    }

    /// <summary>The option <paramref name="arg"/> names, and the value written into it (<c>--x=V</c>, <c>-xV</c>), if any.</summary>
    private static (OptionSpec Option, string? Attached) Find(VerbSpec verb, string arg)
    {
        bool isLong = arg.StartsWith("--", StringComparison.Ordinal);
        int eq = isLong ? arg.IndexOf('=') : -1;
        string name = eq > 0 ? arg.Substring(0, eq) : arg;
        foreach (OptionSpec option in verb.Options)
        {
            if (option.Name == name || option.Alias == name)
            {
                return (option, eq > 0 ? arg.Substring(eq + 1) : null);
            }
        }
        if (!isLong)
        {
            // -xVALUE: a short option with a value, the value written into it.
            foreach (OptionSpec option in verb.Options)
            {
                if (option.Alias is { Length: 2 } alias && option.Value != null && arg.StartsWith(alias, StringComparison.Ordinal))
                {
                    return (option, arg.Substring(2));
                }
            }
        }
        var spellings = new List<string>();
        foreach (OptionSpec option in verb.Options)
        {
            spellings.Add(option.Name);
            if (option.Alias != null)
            {
                spellings.Add(option.Alias);
            }
        }
        throw new UsageException($"unknown option '{name}'" + Suggestions.DidYouMean(name, spellings));
    }

    private static bool Contains(IReadOnlyList<string> choices, string value)
    {
        foreach (string c in choices)
        {
            if (c == value)
            {
                return true;
            }
        }
        return false;
    }
}
