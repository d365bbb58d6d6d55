using System;
using System.Collections.Generic;
using System.IO;
using QapiGen.Compat;
using QapiGen.Schema.Diagnostics;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen compat OLD NEW [--all] [--format json] [--lenient]</c>: what an existing QMP client
/// would notice when the server moves from OLD to NEW. Exit 0 when nothing breaks, 1 when something
/// does, 2 for usage errors and unloadable schemas.
/// </summary>
public static class CompatCommand
{
    public const string Usage = "usage: qapigen compat OLD NEW [--all] [--format text|json] [--lenient]\n"
        + "  OLD, NEW   a schema's main file, or a saved query-qmp-schema reply (JSON)\n"
        + "  --all      also list compatible changes\n"
        + "  --format   text (default) or json\n"
        + "  --lenient  accept QEMU's older schema language (v5.2, v6.0)";

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var files = new List<string>();
        var all = false;
        var lenient = false;
        var json = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--all":
                    all = true;
                    break;
                case "--lenient":
                    lenient = true;
                    break;
                case "--format" when i + 1 < args.Length && args[i + 1] is "json" or "text":
                    json = args[++i] == "json";
                    break;
                case "--format=json":
                    json = true;
                    break;
                case "--format=text":
                    json = false;
                    break;
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    return 0;
                default:
                    if (args[i].StartsWith("-", StringComparison.Ordinal))
                    {
                        stderr.WriteLine($"qapigen compat: unknown option '{args[i]}'");
                        stderr.WriteLine(Usage);
                        return 2;
                    }
                    files.Add(args[i]);
                    break;
            }
        }
        if (files.Count != 2)
        {
            stderr.WriteLine(Usage);
            return 2;
        }

        SchemaSnapshot old, @new;
        try
        {
            old = SchemaSnapshotLoader.Load(files[0], lenient);
            @new = SchemaSnapshotLoader.Load(files[1], lenient);
        }
        catch (QapiError e)
        {
            stderr.WriteLine(e.ToString());
            if (!lenient)
                stderr.WriteLine("(schemas in QEMU's older language need --lenient)");
            return 2;
        }
        catch (CompatLoadException e)
        {
            stderr.WriteLine(e.Message);
            return 2;
        }

        IReadOnlyList<Finding> findings;
        try
        {
            findings = CompatChecker.Compare(old, @new);
        }
        catch (CompatLoadException e)
        {
            stderr.WriteLine(e.Message);
            return 2;
        }

        if (json)
        {
            stdout.Flush();
            using var stream = new MemoryStream();
            CompatReport.WriteJson(stream, old, @new, findings, all);
            stdout.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
        else
        {
            CompatReport.WriteHuman(stdout, old, @new, findings, all);
        }
        stdout.Flush();
        foreach (var f in findings)
        {
            if (f.Class.IsBreaking())
                return 1;
        }
        return 0;
    }
}
