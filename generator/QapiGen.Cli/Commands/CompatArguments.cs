using System;
using System.Collections.Generic;

namespace QapiGen.Cli.Commands;

/// <summary>The command line of <c>qapigen compat</c>.</summary>
internal sealed class CompatArguments
{
    public List<string> Files { get; } = new();
    public bool All { get; private set; }
    public bool Lenient { get; private set; }
    public string Format { get; private set; } = "text";
    public string? Against { get; private set; }
    public string? Config { get; private set; }
    public bool NoConfig { get; private set; }
    public bool Help { get; private set; }

    /// <summary>-D symbols; null when none was given (conditions are then kept, everything compared).</summary>
    public HashSet<string>? Symbols { get; private set; }
    public bool AllSymbols { get; private set; }

    /// <summary>How conditions are decided: null keeps every conditional definition.</summary>
    public Func<string, bool>? IsDefined
    {
        get
        {
            if (AllSymbols)
                return _ => true;
            var symbols = Symbols;
            return symbols == null ? null : s => symbols.Contains(s);
        }
    }

    /// <exception cref="UsageException">bad arguments.</exception>
    public static CompatArguments Parse(string[] args)
    {
        var a = new CompatArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value(string option)
            {
                var eq = arg.IndexOf('=');
                if (eq > 0 && arg.StartsWith("--", StringComparison.Ordinal))
                    return arg.Substring(eq + 1);
                if (i + 1 >= args.Length)
                    throw new UsageException($"option {option} needs a value");
                return args[++i];
            }
            var name = arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') > 0 ? arg.Substring(0, arg.IndexOf('=')) : arg;
            switch (name)
            {
                case "--all":
                    a.All = true;
                    break;
                case "--lenient":
                    a.Lenient = true;
                    break;
                case "--format":
                    a.Format = Value(name);
                    break;
                case "--against":
                    a.Against = Value(name);
                    break;
                case "--config":
                    a.Config = Value(name);
                    break;
                case "--no-config":
                    a.NoConfig = true;
                    break;
                case "-D" or "--define":
                    a.AddSymbols(Value(name));
                    break;
                case "-h" or "--help":
                    a.Help = true;
                    break;
                default:
                    if (arg.StartsWith("-D", StringComparison.Ordinal) && arg.Length > 2)
                        a.AddSymbols(arg.Substring(2));
                    else if (arg.StartsWith("-", StringComparison.Ordinal) && arg != "-")
                        throw new UsageException($"unknown option '{arg}'");
                    else
                        a.Files.Add(arg == "-" ? "/dev/stdin" : arg);
                    break;
            }
        }
        if (a.Help)
            return a;
        if (a.Against != null ? a.Files.Count != 1 : a.Files.Count != 2)
            throw new UsageException(a.Against != null ? "--against takes one schema: NEW" : "expected two schemas: OLD NEW (or --against REF NEW)");
        if (a.Config != null && a.NoConfig)
            throw new UsageException("--config and --no-config exclude each other");
        return a;
    }

    private void AddSymbols(string list)
    {
        foreach (var s in list.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (s == "ALL")
                AllSymbols = true;
            else
                (Symbols ??= new HashSet<string>(StringComparer.Ordinal)).Add(s);
        }
        Symbols ??= new HashSet<string>(StringComparer.Ordinal);
    }
}
