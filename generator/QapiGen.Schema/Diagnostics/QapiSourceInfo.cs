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
        FileName = fileName;
        Parent = parent;
        Pragma = pragma ?? parent?.Pragma ?? new QapiPragma();
    }

    /// <summary>The file name as given (relative paths stay relative, as the reference prints them).</summary>
    public string FileName { get; }

    /// <summary>1-based line, or null for an info that describes a whole file.</summary>
    public int? Line { get; private set; } = 1;

    public QapiSourceInfo? Parent { get; }

    /// <summary>Pragmas in force; shared by all infos of one file and the files it includes.</summary>
    public QapiPragma Pragma { get; }

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
        var info = new QapiSourceInfo(FileName, Parent, Pragma)
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
