using System.IO;
using System.Text;

namespace QapiGen.Compat;

/// <summary>
/// GitHub Actions workflow commands (<c>::error file=F,line=L,col=C,title=T::message</c>), which
/// annotate the pull request at the schema line. Unaccepted breaks are errors, breaks covered by a
/// feature warnings, accepted breaks and compatible changes notices. A location that is not a file
/// of the checkout (a git revision, an archive) is kept in the message, and the annotation goes to
/// the definition in the new version (the command that lost an argument), or to none.
/// </summary>
public sealed class GitHubActionsFormat : ICompatFormat
{
    public string Name => "github-actions";

    public void Write(TextWriter w, CompatResult result)
    {
        foreach (Finding f in result.Shown)
        {
            string level = f.Fails ? "error" : f.AcceptedBy != null ? "notice" : f.Class == FindingClass.CoveredByFeature ? "warning" : "notice";
            string title = $"qapigen compat: {f.Class.ToText()}: {f.Kind}" + (f.AcceptedBy != null ? " (accepted)" : "");
            SourceLocation loc = result.LocationOf(f);
            SourceLocation? at = result.AnnotationLocation(f);
            var message = new StringBuilder();
            if (at != loc)
            {
                message.Append(loc).Append(": ");
            }

            message.Append(CompatResult.Subject(f)).Append(": ").Append(f.Message)
                .Append(" [").Append(f.Direction.ToText()).Append(' ').Append(f.Path).Append(']');
            if (f.Reason != null)
            {
                message.Append(" (covered: ").Append(f.Reason).Append(')');
            }

            if (f.AcceptedBy != null)
            {
                message.Append(" (accepted: ").Append(f.AcceptedBy.Reason).Append(')');
            }

            w.WriteLine(Command(level, at, title, message.ToString()));
        }
        foreach (Acceptance a in result.UnusedAcceptances)
        {
            w.WriteLine(Command("warning", a.Location, $"qapigen compat: {CompatRules.UnusedAcceptance}",
                $"this entry accepts no breaking finding ({a.Describe()}): remove it"));
        }
        // Shown in the step's log; no annotation.
        w.WriteLine(result.Summary());
    }

    public bool WriteError(TextWriter w, CompatInputException error)
    {
        string message = error.Hint != null ? error.Message + "\n" + error.Hint : error.Message;
        w.WriteLine(Command("error", error.Location, $"qapigen compat: {CompatRules.InputError}", message));
        return true;
    }

    public static string Command(string level, SourceLocation? loc, string title, string message)
    {
        StringBuilder sb = new StringBuilder("::").Append(level).Append(' ');
        if (loc != null)
        {
            sb.Append("file=").Append(Property(loc.File)).Append(',');
            if (loc.Line is int line)
            {
                sb.Append("line=").Append(line).Append(',');
            }

            if (loc.Column is int col)
            {
                sb.Append("col=").Append(col).Append(',');
            }
        }
        sb.Append("title=").Append(Property(title)).Append("::").Append(Data(message));
        return sb.ToString();
    }

    // The escapes the runner undoes (actions/toolkit, command.ts).
    private static string Data(string s) => s.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string Property(string s) => Data(s).Replace(":", "%3A").Replace(",", "%2C");
}
