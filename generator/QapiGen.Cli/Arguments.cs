using System.Collections.Generic;

namespace QapiGen.Cli;

/// <summary>A tiny argument reader: positional values plus flags and repeatable options.</summary>
public sealed class Arguments
{
    private readonly List<string> _positional = new();
    private readonly HashSet<string> _flags = new();
    private readonly Dictionary<string, List<string>> _options = new();

    /// <param name="args">the verb's arguments</param>
    /// <param name="flags">switches without a value, e.g. <c>--lenient-docs</c></param>
    /// <param name="options">options that take a value, e.g. <c>-o</c>, <c>-D</c></param>
    public Arguments(string[] args, IEnumerable<string> flags, IEnumerable<string>? options = null)
    {
        var knownFlags = new HashSet<string>(flags);
        var knownOptions = new HashSet<string>(options ?? new string[0]);
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (knownFlags.Contains(a))
            {
                _flags.Add(a);
            }
            else if (knownOptions.Contains(a))
            {
                if (i + 1 >= args.Length)
                    throw new UsageException($"option {a} needs a value");
                if (!_options.TryGetValue(a, out var list))
                    _options[a] = list = new List<string>();
                list.Add(args[++i]);
            }
            else if (a.StartsWith("-", System.StringComparison.Ordinal) && a.Length > 1)
            {
                throw new UsageException($"unknown option '{a}'");
            }
            else
            {
                _positional.Add(a);
            }
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public bool Has(string flag) => _flags.Contains(flag);

    public IReadOnlyList<string> Values(string option)
        => _options.TryGetValue(option, out var list) ? list : new List<string>();

    public string? Value(string option)
    {
        var values = Values(option);
        return values.Count == 0 ? null : values[values.Count - 1];
    }

    /// <summary>The only positional argument, named <paramref name="what"/> in the error when missing.</summary>
    public string Single(string what)
    {
        if (_positional.Count != 1)
            throw new UsageException(_positional.Count == 0 ? $"missing {what}" : $"expected one {what}, got {_positional.Count}");
        return _positional[0];
    }
}
