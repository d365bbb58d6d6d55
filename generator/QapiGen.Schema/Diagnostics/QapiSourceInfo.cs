using System.Collections.Generic;
using System.Text;

namespace QapiGen.Schema.Diagnostics;

/// <summary>
/// Where something was written: file, line, the include chain that led there and the
/// definition being checked. Its text form is exactly the reference front end's, because
/// error messages are compared byte for byte.
/// </summary>
public sealed class QapiSourceInfo
{
    public QapiSourceInfo(string fileName, QapiSourceInfo? parent, QapiPragma? pragma = null)
    {
        _file = new SourceFile(fileName, parent, pragma ?? parent?.Pragma ?? new QapiPragma());
    }

    private QapiSourceInfo(SourceFile file)
    {
        _file = file;
    }

    // What every info of one file shares: the file's name, where it was included from and the
    // pragmas in force. Shared, so that an included file parsed before the parser knows which
    // include directive reads it first is attached to that directive once, for all its infos.
    private readonly SourceFile _file;

    private sealed class SourceFile
    {
        public SourceFile(string fileName, QapiSourceInfo? parent, QapiPragma pragma)
        {
            FileName = fileName;
            Parent = parent;
            Pragma = pragma;
        }

        public string FileName { get; }
        public QapiSourceInfo? Parent { get; set; }
        public QapiPragma Pragma { get; set; }
    }

    /// <summary>The file name as given (relative paths stay relative, as the reference prints them).</summary>
    public string FileName => _file.FileName;

    /// <summary>1-based line, or null for an info that describes a whole file.</summary>
    public int? Line { get; private set; } = 1;

    public QapiSourceInfo? Parent => _file.Parent;

    /// <summary>Pragmas in force; shared by all infos of one file and the files it includes.</summary>
    public QapiPragma Pragma => _file.Pragma;

    /// <summary>
    /// Makes this info's file, read on its own, one included at <paramref name="includedFrom"/>: it and
    /// every info copied from it get that parent and its pragmas. The parser calls it once per
    /// included file, before anything reads them.
    /// </summary>
    internal void AttachTo(QapiSourceInfo includedFrom)
    {
        _file.Parent = includedFrom;
        _file.Pragma = includedFrom.Pragma;
    }

    public string? DefnMeta { get; private set; }
    public string? DefnName { get; private set; }

    public void SetDefn(string meta, string name)
    {
        DefnMeta = meta;
        DefnName = name;
    }

    /// <summary>A copy positioned at the next line (the parser keeps one per token).</summary>
    public QapiSourceInfo Next()
    {
        QapiSourceInfo info = Copy();
        info.Line++;
        return info;
    }

    /// <summary>A copy positioned at <paramref name="line"/>.</summary>
    public QapiSourceInfo AtLine(int line)
    {
        QapiSourceInfo info = Copy();
        info.Line = line;
        return info;
    }

    public QapiSourceInfo Copy()
    {
        var info = new QapiSourceInfo(_file)
        {
            Line = Line,
            DefnMeta = DefnMeta,
            DefnName = DefnName,
        };
        return info;
    }

    /// <summary>An info for the file as a whole (used for 'module' context, no line).</summary>
    public static QapiSourceInfo ForFile(string fileName, QapiSourceInfo? parent)
        => new(fileName, parent) { Line = null };

    public string Loc() => Line is int line ? FileName + ":" + line : FileName;

    public string IncludePath()
    {
        // Outermost first; built in one pass, as include chains can be thousands of files deep.
        var chain = new List<QapiSourceInfo>();
        for (QapiSourceInfo? parent = Parent; parent != null; parent = parent.Parent)
        {
            chain.Add(parent);
        }

        var ret = new StringBuilder();
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            ret.Append("In file included from ").Append(chain[i].Loc()).Append(":\n");
        }

        return ret.ToString();
    }

    public string InDefn()
        => DefnName != null ? $"{FileName}: In {DefnMeta} '{DefnName}':\n" : "";

    public override string ToString() => IncludePath() + InDefn() + Loc();
}
