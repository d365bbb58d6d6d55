using System;
using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// One thing a file's text said, in the order it said it. A file is parsed on its own (possibly on
/// another thread, before the files read ahead of it are done); what depends on the other files (which
/// include reads a file first, the pragmas in force, which error comes first, the warnings' order) is
/// decided afterwards, by replaying every file's events in the reading order of QEMU's front end.
/// </summary>
internal readonly struct ParseEvent
{
    private ParseEvent(ParseEventKind kind, object item, QapiSourceInfo? info = null, string? include = null, string? fullPath = null)
    {
        Kind = kind;
        Item = item;
        Info = info;
        Include = include;
        FullPath = fullPath;
    }

    public ParseEventKind Kind { get; }

    /// <summary>
    /// The expression (<see cref="ParseEventKind.Expression"/>, and the directive of an
    /// <see cref="ParseEventKind.Include"/>), the doc comment, the pragma's object, the warning or the error.
    /// </summary>
    public object Item { get; }

    /// <summary>Where a pragma or include directive was written.</summary>
    public QapiSourceInfo? Info { get; }

    /// <summary>The include directive's file name as written.</summary>
    public string? Include { get; }

    /// <summary>The included file's key (<see cref="ISchemaFileSystem.GetFullPath"/>).</summary>
    public string? FullPath { get; }

    public static ParseEvent Expression(QapiExpression expr) => new(ParseEventKind.Expression, expr);

    public static ParseEvent Doc(QapiDoc doc) => new(ParseEventKind.Doc, doc);

    public static ParseEvent IncludeDirective(QapiExpression directive, string include, string fullPath)
        => new(ParseEventKind.Include, directive, directive.Info, include, fullPath);

    public static ParseEvent Pragma(QDict pragma, QapiSourceInfo info) => new(ParseEventKind.Pragma, pragma, info);

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
