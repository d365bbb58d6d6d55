namespace QapiGen.Schema.Parsing;

/// <summary>
/// The three line patterns of doc comments, matched by hand: they run on every doc line of a
/// schema (tens of thousands for QEMU's), where regular expressions dominated the parse time.
/// Each method documents the reference's regular expression it implements.
/// </summary>
internal static class DocLineMatch
{
    /// <summary>
    /// <c>^@([^:]*): *</c>: a member or feature description. Returns the name (from <paramref name="strings"/>
    /// when given: a described member's name is the text of its token, kept once) and where the text starts.
    /// </summary>
    public static bool AtNameColon(DocLine line, out string name, out int end, TokenStrings? strings = null)
    {
        name = "";
        end = 0;
        if (line.Length == 0 || line[0] != '@')
        {
            return false;
        }

        int colon = line.IndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        name = strings != null ? line.Intern(1, colon - 1, strings) : line.Substring(1, colon - 1);
        end = colon + 1;
        while (end < line.Length && line[end] == ' ')
        {
            end++;
        }

        return true;
    }

    private static readonly string[] Tags = { "Returns", "Since", "Notes", "Note", "Examples", "Example", "TODO" };

    /// <summary><c>^(Returns|Since|Notes?|Examples?|TODO): *</c>: a tagged section.</summary>
    public static bool SectionTag(DocLine line, out string tag, out int end)
    {
        foreach (string t in Tags)
        {
            if (line.Length > t.Length && line[t.Length] == ':' && line.StartsWith(t))
            {
                tag = t;
                end = t.Length + 1;
                while (end < line.Length && line[end] == ' ')
                {
                    end++;
                }

                return true;
            }
        }
        tag = "";
        end = 0;
        return false;
    }

    /// <summary>
    /// <c>^(@\S+:)</c>: a symbol that is not allowed in free-form text. Greedy, so the match ends at
    /// the last ':' of the first run of non-blank characters, with at least one character before it.
    /// </summary>
    public static bool FreeformSymbol(DocLine line, out string match)
    {
        match = "";
        if (line.Length < 3 || line[0] != '@')
        {
            return false;
        }

        int run = 1;
        while (run < line.Length && !line.IsWhiteSpaceAt(run, out int length))
        {
            run += length;
        }

        int colon = line.LastIndexOf(':', run);
        if (colon < 2)
        {
            return false;
        }

        match = line.Substring(0, colon + 1);
        return true;
    }
}
