using System.Text.RegularExpressions;
using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Checking;

/// <summary>
/// The naming rules: letters, digits, '-' and '_', starting with a letter, optionally after an
/// 'x-' (experimental) and a '__RFQDN_' (downstream) prefix. Types use CamelCase, commands and
/// members lower case, events upper case. The whole 'q_' namespace is reserved.
/// </summary>
public static class Names
{
    private static readonly Regex ValidName = new(@"^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Camel = new("^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant);
    private static readonly Regex NonCIdent = new("[^A-Za-z0-9_]", RegexOptions.CultureInvariant);

    /// <summary>The name with every character C does not allow in identifiers replaced by '_'.</summary>
    public static string CNameUnprotected(string name) => NonCIdent.Replace(name, "_");

    public static void CheckIsStr(object? name, QapiSourceInfo info, string source)
    {
        if (name is not string)
            throw new QapiSemError(info, $"{source} requires a string name");
    }

    /// <summary>Checks the general rules and returns the name without its prefixes.</summary>
    public static string CheckStr(string name, QapiSourceInfo info, string source)
    {
        var match = ValidName.Match(name);
        if (!match.Success || CNameUnprotected(name).StartsWith("q_", System.StringComparison.Ordinal))
            throw new QapiSemError(info, $"{source} has an invalid name");
        return match.Groups[3].Value;
    }

    public static void CheckUpper(string name, QapiSourceInfo info, string source)
    {
        var stem = CheckStr(name, info, source);
        foreach (var c in stem)
        {
            if (c is >= 'a' and <= 'z' or '-')
                throw new QapiSemError(info, $"name of {source} must not use lowercase or '-'");
        }
    }

    public static void CheckLower(string name, QapiSourceInfo info, string source, bool permitUpper = false, bool permitUnderscore = false)
    {
        var stem = CheckStr(name, info, source);
        var hasUpper = false;
        foreach (var c in stem)
            hasUpper |= c is >= 'A' and <= 'Z';
        if ((!permitUpper && hasUpper) || (!permitUnderscore && stem.IndexOf('_') >= 0))
            throw new QapiSemError(info, $"name of {source} must not use uppercase or '_'");
    }

    public static void CheckCamel(string name, QapiSourceInfo info, string source)
    {
        var stem = CheckStr(name, info, source);
        if (!Camel.IsMatch(stem))
            throw new QapiSemError(info, $"name of {source} must use CamelCase");
    }

    /// <summary>Checks the name of a definition by its kind.</summary>
    public static void CheckDefinitionName(string name, QapiSourceInfo info, string meta)
    {
        if (meta == "event")
            CheckUpper(name, info, meta);
        else if (meta == "command")
            CheckLower(name, info, meta, permitUnderscore: info.Pragma.CommandNameExceptions.Contains(name));
        else
            CheckCamel(name, info, meta);
        if (name.EndsWith("List", System.StringComparison.Ordinal))
            throw new QapiSemError(info, $"{meta} name should not end in 'List'");
    }
}
