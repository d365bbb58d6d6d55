using System;
using System.Collections.Generic;
using System.Text;

namespace QapiGen.CodeGen;

/// <summary>How QAPI names become C# identifiers.</summary>
public static class CsNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// PascalCase from a wire name: words split at '-', '_' and '.', each capitalised
    /// (<c>query-fdsets</c> → <c>QueryFdsets</c>, <c>BLOCK_JOB_COMPLETED</c> → <c>BlockJobCompleted</c>,
    /// <c>BlockdevOptions</c> unchanged). All-caps names are lowered after each word's first letter.
    /// Digit runs on both sides of a separator keep a '_' (<c>x86_64</c> → <c>X86_64</c>); a leading
    /// digit gets a '_' prefix.
    /// </summary>
    public static string Pascal(string name)
    {
        bool screaming = true;
        foreach (char c in name)
        {
            if (c >= 'a' && c <= 'z')
            {
                screaming = false;
                break;
            }
        }
        var sb = new StringBuilder(name.Length);
        bool startWord = true;
        bool sawSeparator = false;
        foreach (char c in name)
        {
            if (!IsIdentChar(c))
            {
                startWord = true;
                sawSeparator = true;
                continue;
            }
            if (startWord)
            {
                if (sawSeparator && sb.Length > 0 && IsDigit(sb[sb.Length - 1]) && IsDigit(c))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToUpperInvariant(c));
                startWord = false;
                sawSeparator = false;
            }
            else
            {
                sb.Append(screaming ? char.ToLowerInvariant(c) : c);
            }
        }
        if (sb.Length == 0 || IsDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        return sb.ToString();
    }

    /// <summary>camelCase for parameters and locals, '@'-escaped when a keyword.</summary>
    public static string Camel(string name)
    {
        string pascal = Pascal(name);
        string camel = pascal[0] == '_' ? pascal : char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        // Lower a leading acronym too: "IPv4" → "ipv4" reads better than "iPv4".
        if (camel.Length > 1 && char.IsUpper(camel[1]))
        {
            int i = 1;
            while (i < camel.Length && char.IsUpper(camel[i]) && (i + 1 >= camel.Length || !char.IsLower(camel[i + 1])))
            {
                i++;
            }

            camel = camel.Substring(0, i).ToLowerInvariant() + camel.Substring(i);
        }
        return Keywords.Contains(camel) ? "@" + camel : camel;
    }

    /// <summary>Makes <paramref name="name"/> unique in <paramref name="taken"/> (suffixes '_', '_2'...), and records it.</summary>
    public static string Unique(string name, ISet<string> taken)
    {
        string candidate = name;
        for (int i = 1; !taken.Add(candidate); i++)
        {
            candidate = i == 1 ? name + "_" : name + "_" + i;
        }

        return candidate;
    }

    /// <summary>A C# string literal (regular, escaped).</summary>
    public static string Literal(string s)
    {
        // Most names need no escape: one string, not a builder and its copy.
        if (IsPlain(s))
        {
            return "\"" + s + "\"";
        }

        return AppendLiteral(new StringBuilder(s.Length + 8), s).ToString();
    }

    /// <summary>Appends the literal of <see cref="Literal"/> (a text of megabytes: no string of it made).</summary>
    public static StringBuilder AppendLiteral(StringBuilder sb, string s) => AppendEscaped(sb.Append('"'), s, 0, s.Length).Append('"');

    /// <summary>
    /// Appends the characters <paramref name="start"/>.. of <paramref name="s"/> escaped as inside
    /// <see cref="Literal"/>'s quotes. Each character is escaped by itself (a surrogate too), so a text
    /// escaped in pieces is the text escaped whole.
    /// </summary>
    public static StringBuilder AppendEscaped(StringBuilder sb, string s, int start, int length)
    {
        for (int i = start; i < start + length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4"));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
        return sb;
    }

    /// <summary>A UTF-8 literal (<c>"name"u8</c>).</summary>
    public static string U8(string s) => IsPlain(s) ? "\"" + s + "\"u8" : Literal(s) + "u8";

    // Whether Literal writes every character of s as it is.
    private static bool IsPlain(string s)
    {
        foreach (char c in s)
        {
            if (c is '"' or '\\' || c < 0x20 || c > 0x7e)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsIdentChar(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c);
}
