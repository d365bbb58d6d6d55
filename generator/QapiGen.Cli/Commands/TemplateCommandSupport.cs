using System;
using System.Threading.Tasks;
using QapiGen.Cli.CommandLine;
using QapiGen.Docs;

namespace QapiGen.Cli.Commands;

/// <summary>What the doc and render verbs share: running the rendering and reporting a template error.</summary>
internal static class TemplateCommandSupport
{
    /// <summary>
    /// Runs the rendering on this (the main) thread; a template error is the verb's "no" (its located
    /// message, exit 1); a file that cannot be read or written goes to <see cref="VerbRunner"/> (exit 2).
    /// </summary>
    public static int Run(Invocation run, Func<Task<RenderResult>> render)
    {
        try
        {
            RenderResult result = render().GetAwaiter().GetResult();
            run.Err.WriteLine($"qapigen {run.Verb.Name}: wrote {result.Files.Count} files, {result.Bytes} bytes");
            return ExitCodes.Ok;
        }
        catch (TemplateError e)
        {
            run.Err.WriteLine(e.Message);
            return ExitCodes.Failed;
        }
    }
}
