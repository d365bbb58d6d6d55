using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace QapiGen.CodeGen;

/// <summary>
/// A list of name globs (<c>query-*;blockdev-*;migrate</c>, separated by ';' or ','): <c>*</c> matches any run of
/// characters, <c>?</c> one character, a leading <c>!</c> excludes. A name is selected when some inclusion matches it
/// (or there is none, only exclusions) and no exclusion does. Names are compared as the schema spells them.
/// </summary>
public sealed class NameFilter
{
    private readonly List<(string Pattern, Regex Regex)> _include = new();
    private readonly List<(string Pattern, Regex Regex)> _exclude = new();

    private NameFilter(string text)
    {
        Text = text;
        foreach (string? raw in text.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            string p = raw.Trim();
            bool exclude = p.StartsWith("!", StringComparison.Ordinal);
            if (exclude)
            {
                p = p.Substring(1).Trim();
            }

            if (p.Length == 0)
            {
                continue;
            }

            var regex = new Regex("^" + Regex.Escape(p).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.CultureInvariant);
            (exclude ? _exclude : _include).Add((p, regex));
        }
    }

    /// <summary>The list as given (normalised separators are kept as written).</summary>
    public string Text { get; }

    /// <summary>Parses a list; null or blank gives null (no filter).</summary>
    public static NameFilter? Parse(string? text) => string.IsNullOrWhiteSpace(text) ? null : new NameFilter(text!.Trim());

    /// <summary>Whether <paramref name="name"/> is selected.</summary>
    public bool Matches(string name) =>
        (_include.Count == 0 || _include.Any(p => p.Regex.IsMatch(name))) && !_exclude.Any(p => p.Regex.IsMatch(name));

    /// <summary>The patterns (inclusions and exclusions, as written without '!') that match none of <paramref name="names"/>.</summary>
    public IEnumerable<string> Unmatched(IReadOnlyCollection<string> names)
    {
        foreach ((string? p, Regex? r) in _include)
        {
            if (!names.Any(r.IsMatch))
            {
                yield return p;
            }
        }
        foreach ((string? p, Regex? r) in _exclude)
        {
            if (!names.Any(r.IsMatch))
            {
                yield return "!" + p;
            }
        }
    }
}
