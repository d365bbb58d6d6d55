using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Checking;

/// <summary>
/// The naming rules: letters, digits, '-' and '_', starting with a letter, optionally after an
/// 'x-' (experimental) and a '__RFQDN_' (downstream) prefix. Types use CamelCase, commands and
/// members lower case, events upper case. The whole 'q_' namespace is reserved.
/// </summary>
public static class Names
{
    /// <summary>The name with every character C does not allow in identifiers replaced by '_'.</summary>
    public static string CNameUnprotected(string name) => Naming.QapiNaming.CName(name, false);

    /// <summary>
    /// Whether <c>CNameUnprotected(name)</c> starts with <paramref name="prefix"/> (letters, digits and
    /// '_'), without making the C name: it runs for every name of the schema, and most of QEMU's
    /// contain a '-', which would cost a copy each.
    /// </summary>
    internal static bool CNameStartsWith(string name, string prefix)
    {
        if (name.Length < prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            char c = name[i];
            if ((IsLetter(c) || IsDigit(c) || c == '_' ? c : '_') != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsLetter(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    /// <summary>
    /// Matches <c>^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$</c> ignoring case and returns the stem
    /// (group 3), or null. Hand-written because it runs for every name in a schema.
    /// </summary>
    internal static string? MatchValidName(string name)
    {
        int i = 0;
        if (name.Length > 2 && name[0] == '_' && name[1] == '_')
        {
            int j = 2;
            while (j < name.Length && (IsLetter(name[j]) || IsDigit(name[j]) || name[j] is '.' or '-'))
            {
                j++;
            }
            // The prefix's run cannot contain '_', so it ends exactly at the next '_' or not at all.
            if (j > 2 && j < name.Length && name[j] == '_')
            {
                i = j + 1;
            }
        }
        // '(x-)?' backtracks: "x-" is a prefix only if a valid stem follows it.
        if (name.Length - i > 2 && (name[i] is 'x' or 'X') && name[i + 1] == '-' && IsStem(name, i + 2))
        {
            return name.Substring(i + 2);
        }

        return IsStem(name, i) ? name.Substring(i) : null;
    }

    private static bool IsStem(string name, int start)
    {
        if (start >= name.Length || !IsLetter(name[start]))
        {
            return false;
        }

        for (int k = start + 1; k < name.Length; k++)
        {
            char c = name[k];
            if (!(IsLetter(c) || IsDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$</c></summary>
    private static bool IsCamel(string stem)
    {
        if (stem.Length < 2 || !(stem[0] is >= 'A' and <= 'Z'))
        {
            return false;
        }

        bool lower = false;
        for (int k = 1; k < stem.Length; k++)
        {
            char c = stem[k];
            if (!(IsLetter(c) || IsDigit(c)))
            {
                return false;
            }

            lower |= c is >= 'a' and <= 'z';
        }
        return lower;
    }

    public static void CheckIsStr(object? name, QapiSourceInfo info, string source)
    {
        if (name is not string)
        {
            throw new QapiSemError(info, $"{source} requires a string name");
        }
    }

    /// <summary>Checks the general rules and returns the name without its prefixes.</summary>
    public static string CheckStr(string name, QapiSourceInfo info, string source) => CheckStr(name, info, (CheckSource)source);

    // With the source as a CheckSource (a string only for the error): the checker's per-member calls.
    internal static string CheckStr(string name, QapiSourceInfo info, CheckSource source)
    {
        string? stem = MatchValidName(name);
        if (stem == null || CNameStartsWith(name, "q_"))
        {
            throw new QapiSemError(info, $"{source} has an invalid name");
        }

        return stem;
    }

    public static void CheckUpper(string name, QapiSourceInfo info, string source)
    {
        string stem = CheckStr(name, info, source);
        foreach (char c in stem)
        {
            if (c is >= 'a' and <= 'z' or '-')
            {
                throw new QapiSemError(info, $"name of {source} must not use lowercase or '-'");
            }
        }
    }

    public static void CheckLower(string name, QapiSourceInfo info, string source, bool permitUpper = false, bool permitUnderscore = false)
        => CheckLower(name, info, (CheckSource)source, permitUpper, permitUnderscore);

    internal static void CheckLower(string name, QapiSourceInfo info, CheckSource source, bool permitUpper = false, bool permitUnderscore = false)
    {
        string stem = CheckStr(name, info, source);
        bool hasUpper = false;
        foreach (char c in stem)
        {
            hasUpper |= c is >= 'A' and <= 'Z';
        }

        if ((!permitUpper && hasUpper) || (!permitUnderscore && stem.IndexOf('_') >= 0))
        {
            throw new QapiSemError(info, $"name of {source} must not use uppercase or '_'");
        }
    }

    public static void CheckCamel(string name, QapiSourceInfo info, string source)
    {
        string stem = CheckStr(name, info, source);
        if (!IsCamel(stem))
        {
            throw new QapiSemError(info, $"name of {source} must use CamelCase");
        }
    }

    /// <summary>Checks the name of a definition by its kind.</summary>
    public static void CheckDefinitionName(string name, QapiSourceInfo info, string meta)
    {
        if (meta == "event")
        {
            CheckUpper(name, info, meta);
        }
        else if (meta == "command")
        {
            CheckLower(name, info, meta, permitUnderscore: info.Pragma.CommandNameExceptions.Contains(name));
        }
        else
        {
            CheckCamel(name, info, meta);
        }

        if (name.EndsWith("List", System.StringComparison.Ordinal))
        {
            throw new QapiSemError(info, $"{meta} name should not end in 'List'");
        }
    }
}
