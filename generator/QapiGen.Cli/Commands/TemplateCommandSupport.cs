using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Docs;

namespace QapiGen.Cli.Commands;

/// <summary>What the doc and render verbs share: -D symbols, and turning every failure into a message and exit code.</summary>
internal static class TemplateCommandSupport
{
    public static List<string> Defines(Arguments a)
    {
        var list = new List<string>();
        foreach (var v in a.Values("-D"))
            list.AddRange(v.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries));
        foreach (var v in a.Values("--define"))
            list.AddRange(v.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries));
        return list;
    }

    /// <summary>Runs the rendering on this (the main) thread; a template error or I/O failure becomes one line on stderr and exit code 1.</summary>
    public static int Run(string verb, Func<Task<RenderResult>> render)
    {
        try
        {
            var result = render().GetAwaiter().GetResult();
            Console.Error.WriteLine($"qapigen {verb}: wrote {result.Files.Count} files, {result.Bytes} bytes");
            return ExitCodes.Ok;
        }
        catch (TemplateError e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"qapigen {verb}: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
