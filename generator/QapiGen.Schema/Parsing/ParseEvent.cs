using System;
using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// One thing a file's text said, in the order it said it. A file is parsed on its own (possibly on
/// another thread, before the files read ahead of it are done); what depends on the other files (which
/// include reads a file first, the pragmas in force, which error comes first, the warnings' order) is
/// decided afterwards, by replaying every file's events in the reading order of QEMU's front end.
/// Two words: a schema has thousands.
/// </summary>
internal readonly struct ParseEvent
{
    private ParseEvent(ParseEventKind kind, object item)
    {
        Kind = kind;
        Item = item;
    }

    public ParseEventKind Kind { get; }

    /// <summary>
    /// A definition's <see cref="QapiExpression"/>, a <see cref="QapiDoc"/>, an <see cref="IncludeDirective"/>,
    /// a pragma directive's <see cref="QapiExpression"/>, a warning's <see cref="QapiError"/> or the error.
    /// </summary>
    public object Item { get; }

    public static ParseEvent Expression(QapiExpression expr) => new(ParseEventKind.Expression, expr);

    public static ParseEvent Doc(QapiDoc doc) => new(ParseEventKind.Doc, doc);

    public static ParseEvent Include(IncludeDirective include) => new(ParseEventKind.Include, include);

    public static ParseEvent Pragma(QapiExpression pragma) => new(ParseEventKind.Pragma, pragma);

    public static ParseEvent Warning(QapiError warning) => new(ParseEventKind.Warning, warning);

    /// <summary>What ended the file's parse early: a schema error, or anything else thrown.</summary>
    public static ParseEvent Error(Exception error) => new(ParseEventKind.Error, error);
}

internal enum ParseEventKind
{
    Expression,
    Doc,
    Include,
    Pragma,
    Warning,
    Error,
}
