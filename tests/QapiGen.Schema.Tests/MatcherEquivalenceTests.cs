using System;
using System.Text;
using System.Text.RegularExpressions;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// The hand-written matchers replace the reference's regular expressions for speed; here they
/// are checked against those expressions on many random strings built from the relevant characters.
/// </summary>
public class MatcherEquivalenceTests
{
    private static string RandomString(Random r, string alphabet, int maxLength)
    {
        var sb = new StringBuilder();
        int n = r.Next(maxLength + 1);
        for (int i = 0; i < n; i++)
        {
            sb.Append(alphabet[r.Next(alphabet.Length)]);
        }

        return sb.ToString();
    }

    [Fact]
    public void ValidNameMatchesTheReferenceExpression()
    {
        var regex = new Regex(@"^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var r = new Random(1);
        int matched = 0;
        for (int i = 0; i < 50_000; i++)
        {
            string s = (i % 4) switch { 0 => "__", 1 => "x-", 2 => "__a.b_x-", _ => "" } + RandomString(r, "aZx_-.1 X:", 8);
            Match m = regex.Match(s);
            Assert.Equal(m.Success ? m.Groups[3].Value : null, Names.MatchValidName(s));
            matched += m.Success ? 1 : 0;
        }
        Assert.True(matched > 1000);
    }

    [Fact]
    public void DocLinePatternsMatchTheReferenceExpressions()
    {
        var atNameColon = new Regex("^@([^:]*): *");
        var sectionTag = new Regex("^(Returns|Since|Notes?|Examples?|TODO): *");
        var freeform = new Regex(@"^(@\S+:)");
        var r = new Random(2);
        for (int i = 0; i < 50_000; i++)
        {
            string prefix = (i % 5) switch { 0 => "@", 1 => "Note", 2 => "Returns", 3 => "@a", _ => "" };
            string s = prefix + RandomString(r, "@:a s\tN", 7);

            Match m = atNameColon.Match(s);
            Assert.Equal(m.Success, DocLineMatch.AtNameColon(s, out string? name, out int end));
            if (m.Success)
            {
                Assert.Equal((m.Groups[1].Value, m.Length), (name, end));
            }

            m = sectionTag.Match(s);
            Assert.Equal(m.Success, DocLineMatch.SectionTag(s, out string? tag, out end));
            if (m.Success)
            {
                Assert.Equal((m.Groups[1].Value, m.Length), (tag, end));
            }

            m = freeform.Match(s);
            Assert.Equal(m.Success, DocLineMatch.FreeformSymbol(s, out string? symbol));
            if (m.Success)
            {
                Assert.Equal(m.Groups[1].Value, symbol);
            }
        }
    }
}
