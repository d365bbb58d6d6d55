using System.Text;

namespace QapiGen.Cli;

/// <summary>A short diff: the first differing line with a little context, enough to see what broke.</summary>
public static class TextDiff
{
    public static string Describe(string label, string expected, string actual, int context = 2)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        int i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i])
        {
            i++;
        }

        var sb = new StringBuilder();
        sb.Append($"  {label}: first difference at line {i + 1} (expected {e.Length - 1} lines, got {a.Length - 1})\n");
        for (int k = System.Math.Max(0, i - context); k < i; k++)
        {
            sb.Append("     ").Append(e[k]).Append('\n');
        }

        for (int k = i; k < System.Math.Min(e.Length, i + context + 1); k++)
        {
            sb.Append("   - ").Append(e[k]).Append('\n');
        }

        for (int k = i; k < System.Math.Min(a.Length, i + context + 1); k++)
        {
            sb.Append("   + ").Append(a[k]).Append('\n');
        }

        return sb.ToString().TrimEnd('\n');
    }
}
