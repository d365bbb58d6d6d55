using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text.RegularExpressions;

namespace QapiGen.Docs.Tests;

/// <summary>
/// Follows every internal link of a generated manual: href / src attributes (HTML), <c>](target)</c>
/// (Markdown) and the URLs of the search index, and reports each one whose file or anchor is missing.
/// External links (a scheme) are reported too: the manual must work offline.
/// </summary>
public static class LinkCrawler
{
    private static readonly Regex HtmlLink = new(@"(?:href|src)=""(?<u>[^""]*)""");
    private static readonly Regex MarkdownLink = new(@"\]\((?<u>[^)\s]*)\)");
    private static readonly Regex IndexLink = new(@"^\[""[^""]*"",""[^""]*"",""(?<u>[^""]*)""\],$", RegexOptions.Multiline);
    private static readonly Regex Anchor = new(@"\bid=""(?<id>[^""]*)""");

    /// <summary>Returns the broken links as <c>page: target</c>; <paramref name="checkedLinks"/> counts the links followed.</summary>
    public static List<string> Crawl(string directory, out int checkedLinks)
    {
        var ids = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        HashSet<string> IdsOf(string file)
        {
            if (!ids.TryGetValue(file, out HashSet<string>? set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                foreach (Match m in Anchor.Matches(File.ReadAllText(file)))
                {
                    set.Add(WebUtility.HtmlDecode(m.Groups["id"].Value));
                }

                ids[file] = set;
            }
            return set;
        }
        var broken = new List<string>();
        checkedLinks = 0;
        foreach (string file in Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(file);
            string text = File.ReadAllText(file);
            Regex? pattern = name.EndsWith(".md", StringComparison.Ordinal) ? MarkdownLink
                : name.EndsWith(".html", StringComparison.Ordinal) ? HtmlLink
                : name == "search-index.js" ? IndexLink : null;
            if (pattern == null)
            {
                continue;
            }

            foreach (Match m in pattern.Matches(text))
            {
                string url = WebUtility.HtmlDecode(m.Groups["u"].Value);
                checkedLinks++;
                if (url.Length == 0 || url.Contains("://", StringComparison.Ordinal) || url.StartsWith("//", StringComparison.Ordinal))
                {
                    broken.Add($"{name}: '{url}'");
                    continue;
                }
                int hash = url.IndexOf('#');
                string path = hash >= 0 ? url.Substring(0, hash) : url;
                string? fragment = hash >= 0 ? url.Substring(hash + 1) : null;
                string target = path.Length == 0 ? file : Path.Combine(directory, path);
                if (!File.Exists(target))
                {
                    broken.Add($"{name}: {url} (no file)");
                }
                else if (fragment != null && !IdsOf(target).Contains(fragment))
                {
                    broken.Add($"{name}: {url} (no anchor)");
                }
            }
        }
        return broken;
    }
}
