using System;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace QapiGen.Docs;

/// <summary>
/// Parses and renders templates with Scriban's sandbox as the rules: templates see only the model
/// and the functions handed to them (Scriban has no file, process or reflection built-ins, and .NET
/// objects expose their public properties only); <c>include</c> reads only from the loader given
/// (none for user templates); loops and recursion are bounded. Every failure comes back as a
/// <see cref="TemplateError"/> located in the template.
/// </summary>
public static class ScribanHost
{
    /// <summary>Iterations one loop may run: enough for every definition of the largest schemas (QEMU's has ~1,500), small enough to stop a runaway template.</summary>
    public const int LoopLimit = 100_000;

    /// <summary>Nesting of include / function calls.</summary>
    public const int RecursiveLimit = 100;

    /// <summary>Parses <paramref name="text"/>; <paramref name="file"/> names it in errors.</summary>
    public static Template Parse(string text, string file)
    {
        var template = Template.Parse(text, file);
        if (template.HasErrors)
        {
            foreach (LogMessage m in template.Messages)
            {
                if (m.Type == Scriban.Parsing.ParserMessageType.Error)
                {
                    throw new TemplateError(m.Span.FileName ?? file, m.Span.Start.Line + 1, m.Span.Start.Column + 1, m.Message);
                }
            }
        }
        return template;
    }

    /// <summary>A context with the limits and the globals: the model's objects and the functions.</summary>
    public static TemplateContext CreateContext(ScriptObject globals, ITemplateLoader? loader)
    {
        var context = new TemplateContext
        {
            LoopLimit = LoopLimit,
            RecursiveLimit = RecursiveLimit,
            StrictVariables = true,
            TemplateLoader = loader,
            // Properties appear under their snake_case names (AllowOob → allow_oob), Scriban's convention.
            MemberRenamer = StandardMemberRenamer.Default,
        };
        context.PushGlobal(globals);
        return context;
    }

    /// <summary>Renders, turning a runtime failure into a located error (never another exception).</summary>
    public static string Render(Template template, TemplateContext context, string file)
    {
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            SourceSpan span = e.Span;
            throw new TemplateError(string.IsNullOrEmpty(span.FileName) ? file : span.FileName, span.Start.Line + 1, span.Start.Column + 1, e.OriginalMessage);
        }
        catch (Exception e) when (e is not TemplateError and not OperationCanceledException)
        {
            // A function handed to the template failed; the template is still to blame for the call.
            throw new TemplateError(file, 1, 1, e.Message);
        }
    }
}
