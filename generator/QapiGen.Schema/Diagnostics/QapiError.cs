using System;

namespace QapiGen.Schema.Diagnostics;

/// <summary>
/// A schema error. The message, location and optional column render exactly as the reference
/// front end renders them: <c>[include context][In meta 'name':\n]FILE:LINE[:COL]: message</c>.
/// </summary>
public class QapiError : Exception
{
    public QapiError(QapiSourceInfo? info, string message, int? column = null)
        : base(message)
    {
        Info = info;
        Column = column;
    }

    public QapiSourceInfo? Info { get; }

    /// <summary>1-based column, reported for syntax errors only.</summary>
    public int? Column { get; }

    /// <summary>The error without location.</summary>
    public string Detail => base.Message;

    public override string ToString()
    {
        if (Info == null)
        {
            return Detail;
        }

        string loc = Info.ToString();
        if (Column is int col)
        {
            loc += ":" + col;
        }

        return loc + ": " + Detail;
    }
}

/// <summary>A syntax error found while reading schema text (located to the column).</summary>
public sealed class QapiParseError : QapiError
{
    public QapiParseError(QapiSourceInfo info, string message, int column)
        : base(info, message, column) { }
}

/// <summary>A semantic error: the text parses but breaks a rule of the language.</summary>
public sealed class QapiSemError : QapiError
{
    public QapiSemError(QapiSourceInfo? info, string message)
        : base(info, message) { }
}
