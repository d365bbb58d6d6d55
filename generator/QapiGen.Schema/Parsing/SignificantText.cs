using System.Text;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// A schema file's text reduced to what the parser's result depends on, apart from positions: its
/// tokens and its doc comments. Parsing the significant text gives the same expressions, doc
/// comments and errors (at other lines) as parsing the file, so a cache keyed by it (the source
/// generator's) survives edits that cannot change any output.
/// </summary>
/// <remarks>
/// The rule, as <see cref="QapiSchemaParser"/> reads a file:
/// <list type="bullet">
/// <item>Whitespace outside strings only separates tokens: dropped.</item>
/// <item>A <c>#</c> comment outside a doc comment block is skipped by the lexer: dropped.</item>
/// <item>A doc comment (a block from a <c>##</c> line to the next line starting with <c>##</c>,
///   every <c>#</c> line between included) is read line by line and its text ends up in the
///   generated XML docs: kept verbatim, one line each, so editing it does change the result.</item>
/// <item>From the first character the lexer refuses on, the rest of the file is kept verbatim,
///   so parsing the significant text fails with the same message.</item>
/// </list>
/// Keeping a comment the parser would skip costs only a cache miss; dropping one it reads would be
/// wrong, so where the parser's state is in doubt (after a malformed doc comment) comments are kept.
/// </remarks>
public static class SignificantText
{
    public static string Of(string text)
    {
        // Beyond the limit the file is refused for its size: keep it whole so it still is.
        if (text.Length > SchemaFileSystem.MaxFileSize)
        {
            return text;
        }

        string src = text.Length > 0 && text[text.Length - 1] == '\n' ? text : text + "\n";
        var sb = new StringBuilder(src.Length / 2);
        bool inDoc = false;
        int i = 0;
        while (i < src.Length)
        {
            char c = src[i];
            if (c == '#')
            {
                int end = src.IndexOf('\n', i);
                bool hashes = i + 1 < end && src[i + 1] == '#';
                if (hashes || inDoc)
                {
                    sb.Append('\n').Append(src, i, end - i).Append('\n');
                    if (hashes)
                    {
                        // Exactly "##" opens a block (the parser refuses "## junk", and when lenient skips
                        // past it); any line starting with "##" closes one (or is refused and skipped).
                        inDoc = !inDoc && end - i == 2;
                    }
                }
                i = end;
            }
            else if (c is '{' or '}' or ':' or ',' or '[' or ']')
            {
                sb.Append(c);
                inDoc = false;
                i++;
            }
            else if (c == '\'')
            {
                int end = StringEnd(src, i);
                if (end < 0)
                {
                    return Rest(sb, src, i);
                }

                sb.Append(src, i, end - i);
                inDoc = false;
                i = end;
            }
            else if (string.CompareOrdinal(src, i, "true", 0, 4) == 0 || string.CompareOrdinal(src, i, "false", 0, 5) == 0)
            {
                int length = c == 't' ? 4 : 5;
                sb.Append(src, i, length);
                inDoc = false;
                i += length;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else
            {
                return Rest(sb, src, i);
            }
        }
        return sb.ToString();
    }

    // The index after the closing quote of the string starting at start, or -1 where the lexer refuses it.
    private static int StringEnd(string src, int start)
    {
        bool esc = false;
        for (int i = start + 1; i < src.Length; i++)
        {
            char ch = src[i];
            if (ch == '\n')
            {
                return -1;
            }

            if (esc)
            {
                if (ch != '\\')
                {
                    return -1;
                }

                esc = false;
            }
            else if (ch == '\\')
            {
                esc = true;
            }
            else if (ch == '\'')
            {
                return i + 1;
            }
            else if (ch < 32 || ch >= 127)
            {
                return -1;
            }
        }
        return -1;
    }

    private static string Rest(StringBuilder sb, string src, int from) => sb.Append('\n').Append(src, from, src.Length - from).ToString();
}
