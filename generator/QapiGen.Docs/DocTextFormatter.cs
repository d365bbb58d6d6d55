using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace QapiGen.Docs;

/// <summary>
/// Formats doc-comment text (QEMU's rST dialect) as HTML or Markdown: paragraphs, bullet lists,
/// headings (<c>= Title</c>), literal blocks (after <c>::</c> or indented), QMP wire examples
/// (<c>-&gt;</c> / <c>&lt;-</c> lines) as code, <c>``code``</c>, and <c>@name</c> references as links.
/// Only what the schema docs use; anything else passes through as text.
/// </summary>
public sealed class DocTextFormatter
{
    private static readonly Regex Inline = new(@"``(?<code>.+?)``|@(?<ref>[A-Za-z_][A-Za-z0-9_.+-]*[A-Za-z0-9_])|@(?<ref>[A-Za-z])", RegexOptions.CultureInvariant);

    private readonly LinkResolver _links;
    private readonly bool _markdown;

    public DocTextFormatter(LinkResolver links, bool markdown)
    {
        _links = links;
        _markdown = markdown;
    }

    /// <summary>Formats <paramref name="text"/> written in the docs of <paramref name="context"/> (an entity name, or null).</summary>
    public string Format(string? text, string? context, bool example = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder();
        List<List<string>> blocks = SplitBlocks(text!);
        bool literalNext = false;
        foreach (List<string> block in blocks)
        {
            string first = block[0].TrimStart();
            bool indented = block[0].Length > 0 && char.IsWhiteSpace(block[0][0]);
            if (literalNext && indented || first.StartsWith("->", StringComparison.Ordinal) || first.StartsWith("<-", StringComparison.Ordinal)
                || example && (indented || first.StartsWith("{", StringComparison.Ordinal)))
            {
                Code(sb, Dedent(block), first.StartsWith("->", StringComparison.Ordinal) || first.StartsWith("<-", StringComparison.Ordinal) || example);
                literalNext = literalNext && indented;
                continue;
            }
            literalNext = block[block.Count - 1].TrimEnd().EndsWith("::", StringComparison.Ordinal);
            if (first.StartsWith("=", StringComparison.Ordinal))
            {
                int level = 0;
                while (level < first.Length && first[level] == '=')
                {
                    level++;
                }

                Heading(sb, Math.Min(level + 1, 6), first.Substring(level).Trim(), context);
                if (block.Count > 1)
                {
                    Paragraph(sb, block.GetRange(1, block.Count - 1), context);
                }
            }
            else if (first.StartsWith("- ", StringComparison.Ordinal) || first.StartsWith("* ", StringComparison.Ordinal))
            {
                List(sb, block, context);
            }
            else
            {
                List<string> lines = block;
                if (literalNext)
                {
                    // "Text::" ends a paragraph with one colon, the next indented block is literal.
                    lines = new List<string>(block);
                    string last = lines[lines.Count - 1].TrimEnd();
                    lines[lines.Count - 1] = last.Substring(0, last.Length - 1);
                }
                Paragraph(sb, lines, context);
            }
        }
        return sb.ToString();
    }

    private static List<List<string>> SplitBlocks(string text)
    {
        var blocks = new List<List<string>>();
        List<string>? current = null;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.Length == 0)
            {
                current = null;
                continue;
            }
            if (current == null)
            {
                blocks.Add(current = new List<string>());
            }

            current.Add(line);
        }
        return blocks;
    }

    private static List<string> Dedent(List<string> lines)
    {
        int min = int.MaxValue;
        foreach (string l in lines)
        {
            int n = 0;
            while (n < l.Length && l[n] == ' ')
            {
                n++;
            }

            min = Math.Min(min, n);
        }
        var result = new List<string>(lines.Count);
        foreach (string l in lines)
        {
            result.Add(l.Substring(Math.Min(min, l.Length)));
        }

        return result;
    }

    private void Code(StringBuilder sb, List<string> lines, bool wire)
    {
        if (_markdown)
        {
            sb.Append(wire ? "```json\n" : "```\n");
            foreach (string l in lines)
            {
                sb.Append(l.Replace("```", "`\u200b``")).Append('\n');
            }

            sb.Append("```\n\n");
            return;
        }
        sb.Append(wire ? "<pre class=\"qmp\"><code>" : "<pre><code>");
        for (int i = 0; i < lines.Count; i++)
        {
            string l = lines[i];
            if (wire && (l.StartsWith("->", StringComparison.Ordinal) || l.StartsWith("<-", StringComparison.Ordinal)))
            {
                sb.Append("<span class=\"dir\">").Append(WebUtility.HtmlEncode(l.Substring(0, 2))).Append("</span>")
                  .Append(WebUtility.HtmlEncode(l.Substring(2)));
            }
            else
            {
                sb.Append(WebUtility.HtmlEncode(l));
            }

            if (i + 1 < lines.Count)
            {
                sb.Append('\n');
            }
        }
        sb.Append("</code></pre>\n");
    }

    private void Heading(StringBuilder sb, int level, string text, string? context)
    {
        if (_markdown)
        {
            sb.Append(new string('#', level)).Append(' ').Append(Inlines(text, context)).Append("\n\n");
        }
        else
        {
            sb.Append("<h").Append(level).Append('>').Append(Inlines(text, context)).Append("</h").Append(level).Append(">\n");
        }
    }

    private void Paragraph(StringBuilder sb, List<string> lines, string? context)
    {
        string text = string.Join(" ", lines.ConvertAll(l => l.Trim()));
        if (_markdown)
        {
            sb.Append(Inlines(text, context)).Append("\n\n");
        }
        else
        {
            sb.Append("<p>").Append(Inlines(text, context)).Append("</p>\n");
        }
    }

    private void List(StringBuilder sb, List<string> lines, string? context)
    {
        var items = new List<string>();
        foreach (string l in lines)
        {
            string t = l.TrimStart();
            if (t.StartsWith("- ", StringComparison.Ordinal) || t.StartsWith("* ", StringComparison.Ordinal))
            {
                items.Add(t.Substring(2).Trim());
            }
            else if (items.Count > 0)
            {
                items[items.Count - 1] += " " + t.Trim();
            }
            else
            {
                items.Add(t.Trim());
            }
        }
        if (!_markdown)
        {
            sb.Append("<ul>\n");
        }

        foreach (string item in items)
        {
            if (_markdown)
            {
                sb.Append("- ").Append(Inlines(item, context)).Append('\n');
            }
            else
            {
                sb.Append("<li>").Append(Inlines(item, context)).Append("</li>\n");
            }
        }
        sb.Append(_markdown ? "\n" : "</ul>\n");
    }

    /// <summary><c>``code``</c> and <c>@name</c> in one line of text; the rest escaped for the format.</summary>
    private string Inlines(string text, string? context)
    {
        var sb = new StringBuilder();
        int pos = 0;
        foreach (Match m in Inline.Matches(text))
        {
            sb.Append(Escape(text.Substring(pos, m.Index - pos)));
            pos = m.Index + m.Length;
            if (m.Groups["code"].Success)
            {
                string code = m.Groups["code"].Value;
                sb.Append(_markdown ? "`" + code.Replace("`", "") + "`" : "<code>" + WebUtility.HtmlEncode(code) + "</code>");
                continue;
            }
            string name = m.Groups["ref"].Value;
            string? url = _links.Reference(name, context);
            if (url == null)
            {
                sb.Append(_markdown ? "`" + name + "`" : "<code>" + WebUtility.HtmlEncode(name) + "</code>");
            }
            else if (_markdown)
            {
                sb.Append("[`").Append(name).Append("`](").Append(url).Append(')');
            }
            else
            {
                sb.Append("<a class=\"ref\" href=\"").Append(WebUtility.HtmlEncode(url)).Append("\"><code>")
                  .Append(WebUtility.HtmlEncode(name)).Append("</code></a>");
            }
        }
        sb.Append(Escape(text.Substring(pos)));
        return sb.ToString();
    }

    private string Escape(string s)
    {
        if (!_markdown)
        {
            return WebUtility.HtmlEncode(s);
        }
        // Markdown: keep text readable; neutralise what would start markup or raw HTML.
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c is '<' or '>' or '&')
            {
                sb.Append(c == '<' ? "&lt;" : c == '>' ? "&gt;" : "&amp;");
            }
            else if (c is '*' or '_' or '[' or ']' or '`' or '\\')
            {
                sb.Append('\\').Append(c);
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
