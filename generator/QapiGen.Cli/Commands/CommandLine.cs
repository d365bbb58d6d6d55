using System;
using System.Collections.Generic;

namespace QapiGen.Cli.Commands;

/// <summary>Parsing shared by the generate and introspect verbs: a schema, options, -D symbols.</summary>
internal sealed class CommandLine
{
    public string? Schema { get; private set; }
    public string? Output { get; private set; }
    public string? Namespace { get; private set; }
    public HashSet<string> Symbols { get; } = new(StringComparer.Ordinal);
    public bool AllSymbols { get; private set; }
    public bool Unmask { get; private set; }
    public bool LenientDocs { get; private set; }
    public bool Lenient { get; private set; }
    public string? Baseline { get; private set; }
    public string? Generate { get; private set; }
    public string? Commands { get; private set; }
    public string? Events { get; private set; }

    /// <summary>The front end's options for <c>--lenient-docs</c> / <c>--lenient</c> (as <c>check</c> and <c>compat</c> take them).</summary>
    public QapiGen.Schema.QapiSchemaOptions SchemaOptions() => new() { LenientDocs = LenientDocs, Lenient = Lenient };

    /// <summary>Whether a symbol counts as defined (<c>-D ALL</c>: every one).</summary>
    public bool IsDefined(string symbol) => AllSymbols || Symbols.Contains(symbol);

    public static CommandLine Parse(string[] args, string verb, out string? error)
    {
        var cl = new CommandLine();
        error = null;
        var start = args.Length > 0 && args[0] == verb ? 1 : 0;
        for (var i = start; i < args.Length; i++)
        {
            var a = args[i];
            string? Value()
            {
                if (i + 1 < args.Length)
                    return args[++i];
                return null;
            }
            if (a == "-D" || a == "--define")
            {
                var sym = Value();
                if (sym == null)
                {
                    error = $"option {a} needs a symbol";
                    return cl;
                }
                cl.AddSymbols(sym);
            }
            else if (a.StartsWith("-D", StringComparison.Ordinal) && a.Length > 2)
            {
                cl.AddSymbols(a.Substring(2));
            }
            else if (a == "-o" || a == "--output")
            {
                cl.Output = Value();
                if (cl.Output == null)
                {
                    error = $"option {a} needs a directory";
                    return cl;
                }
            }
            else if (a == "-n" || a == "--namespace")
            {
                cl.Namespace = Value();
                if (cl.Namespace == null)
                {
                    error = $"option {a} needs a namespace";
                    return cl;
                }
            }
            else if (a == "-u" || a == "--unmask-non-abi-names")
            {
                cl.Unmask = true;
            }
            else if (a == "--lenient-docs")
            {
                cl.LenientDocs = true;
            }
            else if (a == "--lenient")
            {
                cl.Lenient = true;
            }
            else if (a == "--baseline")
            {
                cl.Baseline = Value();
                if (cl.Baseline == null)
                {
                    error = $"option {a} needs a schema file";
                    return cl;
                }
            }
            else if (a == "--generate" || a == "--commands" || a == "--events")
            {
                var v = Value();
                if (v == null)
                {
                    error = $"option {a} needs a value";
                    return cl;
                }
                if (a == "--generate")
                    cl.Generate = v;
                else if (a == "--commands")
                    cl.Commands = v;
                else
                    cl.Events = v;
            }
            else if (a.StartsWith("-", StringComparison.Ordinal) && a != "-")
            {
                error = $"unknown option '{a}'";
                return cl;
            }
            else if (cl.Schema == null)
            {
                cl.Schema = a;
            }
            else
            {
                error = $"unexpected argument '{a}'";
                return cl;
            }
        }
        if (cl.Schema == null)
            error = "no schema file given";
        return cl;
    }

    private void AddSymbols(string list)
    {
        foreach (var s in list.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (s == "ALL")
                AllSymbols = true;
            else
                Symbols.Add(s);
        }
    }
}
