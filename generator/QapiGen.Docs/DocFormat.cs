using System;

namespace QapiGen.Docs;

/// <summary>The output formats of <c>qapigen doc</c>.</summary>
public enum DocFormat
{
    Html,
    Markdown,
}

public static class DocFormats
{
    public static DocFormat Parse(string text) => text switch
    {
        "html" => DocFormat.Html,
        "markdown" or "md" => DocFormat.Markdown,
        _ => throw new ArgumentException($"unknown format '{text}' (html or markdown)"),
    };

    /// <summary>The name templates see as <c>format</c>.</summary>
    public static string Name(this DocFormat f) => f == DocFormat.Html ? "html" : "markdown";

    public static string Extension(this DocFormat f) => f == DocFormat.Html ? ".html" : ".md";
}
