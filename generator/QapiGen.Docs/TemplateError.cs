using System;

namespace QapiGen.Docs;

/// <summary>A template that does not parse or fails while rendering, located in the template's text.</summary>
public sealed class TemplateError : Exception
{
    public TemplateError(string file, int line, int column, string message)
        : base($"{file}:{line}:{column}: error: {message}")
    {
        File = file;
        Line = line;
        Column = column;
        Reason = message;
    }

    /// <summary>The template file (as given, or the shipped template's name).</summary>
    public string File { get; }
    /// <summary>1-based.</summary>
    public int Line { get; }
    /// <summary>1-based.</summary>
    public int Column { get; }
    /// <summary>The message without the location.</summary>
    public string Reason { get; }
}
