using System.IO;
using System.Text;

namespace QapiGen.Compat;

/// <summary>
/// One finding per line, as compilers write diagnostics, so editors and CI problem matchers pick
/// them up: <c>FILE:LINE:COL: CLASS: KIND: SUBJECT: message [DIRECTION PATH]</c>, then a summary line.
/// </summary>
public sealed class TextFormat : ICompatFormat
{
    public string Name => "text";

    public void Write(TextWriter w, CompatResult result)
    {
        foreach (Finding f in result.Shown)
        {
            w.WriteLine(Line(result, f));
        }

        foreach (Acceptance a in result.UnusedAcceptances)
        {
            w.WriteLine(UnusedLine(a));
        }

        w.WriteLine(result.Summary());
    }

    public static string Line(CompatResult result, Finding f)
    {
        var sb = new StringBuilder();
        sb.Append(result.LocationOf(f)).Append(": ").Append(f.Class.ToText()).Append(": ").Append(f.Kind).Append(": ")
            .Append(CompatResult.Subject(f)).Append(": ").Append(f.Message)
            .Append(" [").Append(f.Direction.ToText()).Append(' ').Append(f.Path).Append(']');
        if (f.Reason != null)
        {
            sb.Append(" (covered: ").Append(f.Reason).Append(')');
        }

        if (f.AcceptedBy != null)
        {
            sb.Append(" (accepted: ").Append(f.AcceptedBy.Reason).Append(')');
        }

        return sb.ToString();
    }

    public static string UnusedLine(Acceptance a)
        => $"{a.Location}: warning: {CompatRules.UnusedAcceptance}: this entry accepts no breaking finding ({a.Describe()}): remove it";

    public bool WriteError(TextWriter w, CompatInputException error) => false;
}
