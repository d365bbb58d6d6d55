using System.Collections.Generic;
using System.IO;
using System.Text;

namespace QapiGen.Cli.CommandLine;

/// <summary>
/// Every text about how to call <c>qapigen</c>: the overview, a verb's help, the usage lines after a
/// usage error. All of it is written from <see cref="Verbs"/>, so help and parser cannot disagree.
/// </summary>
internal static class HelpText
{
    private const int Width = 100;
    private const int Column = 28;

    public const string ExitStatus =
        "exit status: 0 success; 1 the answer is no (the schema or a template has an error, compat found a break, "
        + "a conformance case failed); 2 the command could not run (bad command line, a file that cannot be read or "
        + "written; for compat also a side that does not load); 70 an internal error (a bug in qapigen); 130 interrupted";

    public static void WriteOverview(TextWriter w)
    {
        w.WriteLine("usage: qapigen COMMAND [ARGS]");
        w.WriteLine("       qapigen COMMAND --help     (a command's arguments and options)");
        w.WriteLine("       qapigen --version");
        w.WriteLine();
        w.WriteLine("commands:");
        foreach (VerbSpec verb in Verbs.All)
        {
            WriteItem(w, verb.Name, verb.Summary);
        }

        w.WriteLine();
        Wrap(w, ExitStatus, "", "  ");
    }

    public static void WriteVerb(VerbSpec verb, TextWriter w)
    {
        WriteUsage(verb, w);
        w.WriteLine();
        Wrap(w, verb.Description, "", "");
        if (verb.Arguments.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("arguments:");
            foreach ((string? name, string? help) in verb.Arguments)
            {
                WriteItem(w, name, help);
            }
        }
        w.WriteLine();
        w.WriteLine("options:");
        foreach (OptionSpec option in verb.Options)
        {
            string help = option.Help;
            if (option.Choices != null)
            {
                help += "; one of " + string.Join(", ", option.Choices);
            }

            if (option.Repeatable)
            {
                help += "; repeatable";
            }

            if (option.Required)
            {
                help += "; required";
            }

            WriteItem(w, option.Spelling, help);
        }
        WriteItem(w, "-h, --help", "print this help and exit");
        w.WriteLine();
        Wrap(w, ExitStatus, "", "  ");
    }

    /// <summary>The verb's synopses, as printed after a usage error and at the top of its help.</summary>
    public static void WriteUsage(VerbSpec verb, TextWriter w)
    {
        for (int i = 0; i < verb.Synopses.Count; i++)
        {
            w.WriteLine((i == 0 ? "usage: " : "       ") + "qapigen " + verb.Name + " " + verb.Synopses[i]);
        }
    }

    /// <summary>What follows a usage error's message.</summary>
    public static void WriteUsageHint(VerbSpec verb, TextWriter w)
    {
        WriteUsage(verb, w);
        w.WriteLine($"Try 'qapigen {verb.Name} --help' for more information.");
    }

    private static void WriteItem(TextWriter w, string term, string help)
    {
        string first = "  " + term;
        if (first.Length + 2 > Column)
        {
            w.WriteLine(first);
            first = "";
        }
        Wrap(w, help, first.PadRight(Column), new string(' ', Column));
    }

    /// <summary>Writes <paramref name="text"/> wrapped at <see cref="Width"/>: the first line after <paramref name="first"/>, the rest after <paramref name="rest"/>.</summary>
    private static void Wrap(TextWriter w, string text, string first, string rest)
    {
        var line = new StringBuilder(first);
        bool empty = true;
        foreach (string word in text.Split(' '))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                w.WriteLine(line.ToString());
                line.Clear().Append(rest);
                empty = true;
            }
            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }
        w.WriteLine(line.ToString());
    }

    /// <summary>The names of every verb, for suggestions.</summary>
    public static IEnumerable<string> VerbNames()
    {
        foreach (VerbSpec verb in Verbs.All)
        {
            yield return verb.Name;
        }
    }
}
