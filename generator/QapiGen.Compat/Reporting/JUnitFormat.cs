using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace QapiGen.Compat;

/// <summary>
/// JUnit XML for test-report UIs: one test case per finding, named by rule id and subject.
/// Unaccepted breaks fail; accepted breaks and unused acceptances are skipped (with the reason);
/// the rest pass. A comparison with nothing to list still has one passing case.
/// </summary>
public sealed class JUnitFormat : ICompatFormat
{
    public string Name => "junit";

    public void Write(TextWriter w, CompatResult result)
    {
        var shown = result.Shown.ToList();
        int failures = shown.Count(f => f.Fails);
        int skipped = shown.Count(f => f.AcceptedBy != null) + result.UnusedAcceptances.Count;
        int tests = shown.Count + result.UnusedAcceptances.Count;
        bool placeholder = tests == 0;
        if (placeholder)
        {
            tests = 1;
        }

        Document(w, tests, failures, skipped, 0, x =>
        {
            x.WriteAttributeString("name", $"{result.OldName} -> {result.NewName}");
            foreach (Finding? f in shown)
            {
                SourceLocation loc = result.LocationOf(f);
                x.WriteStartElement("testcase");
                x.WriteAttributeString("classname", "qapigen.compat." + f.Kind);
                x.WriteAttributeString("name", $"{CompatResult.Subject(f)} [{f.Path}]");
                x.WriteAttributeString("file", loc.File);
                if (loc.Line is int line)
                {
                    x.WriteAttributeString("line", line.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (f.Fails)
                {
                    x.WriteStartElement("failure");
                    x.WriteAttributeString("type", f.Kind);
                    x.WriteAttributeString("message", $"{f.Class.ToText()}: {f.Message}");
                    x.WriteString(TextFormat.Line(result, f));
                    x.WriteEndElement();
                }
                else if (f.AcceptedBy != null)
                {
                    x.WriteStartElement("skipped");
                    x.WriteAttributeString("message", $"accepted: {f.AcceptedBy.Reason}");
                    x.WriteEndElement();
                    x.WriteElementString("system-out", TextFormat.Line(result, f));
                }
                else
                {
                    x.WriteElementString("system-out", TextFormat.Line(result, f));
                }
                x.WriteEndElement();
            }
            foreach (Acceptance a in result.UnusedAcceptances)
            {
                x.WriteStartElement("testcase");
                x.WriteAttributeString("classname", "qapigen.compat." + CompatRules.UnusedAcceptance);
                x.WriteAttributeString("name", a.Describe());
                x.WriteAttributeString("file", a.Location.File);
                x.WriteStartElement("skipped");
                x.WriteAttributeString("message", TextFormat.UnusedLine(a));
                x.WriteEndElement();
                x.WriteEndElement();
            }
            if (placeholder)
            {
                x.WriteStartElement("testcase");
                x.WriteAttributeString("classname", "qapigen.compat");
                x.WriteAttributeString("name", "no breaking change");
                x.WriteEndElement();
            }
            x.WriteElementString("system-out", result.Summary());
        });
    }

    public bool WriteError(TextWriter w, CompatInputException error)
    {
        Document(w, 1, 0, 0, 1, x =>
        {
            x.WriteAttributeString("name", "qapigen compat");
            x.WriteStartElement("testcase");
            x.WriteAttributeString("classname", "qapigen.compat." + CompatRules.InputError);
            x.WriteAttributeString("name", "load the schemas");
            if (error.Location != null)
            {
                x.WriteAttributeString("file", error.Location.File);
            }

            x.WriteStartElement("error");
            x.WriteAttributeString("type", CompatRules.InputError);
            x.WriteAttributeString("message", error.Detail);
            x.WriteString(error.Hint != null ? error.Message + "\n" + error.Hint : error.Message);
            x.WriteEndElement();
            x.WriteEndElement();
        });
        return true;
    }

    private static void Document(TextWriter w, int tests, int failures, int skipped, int errors, System.Action<XmlWriter> suite)
    {
        var sb = new StringBuilder();
        using (var x = XmlWriter.Create(sb, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = true }))
        {
            x.WriteStartElement("testsuites");
            x.WriteAttributeString("name", "qapigen compat");
            WriteCounts(x, tests, failures, skipped, errors);
            x.WriteStartElement("testsuite");
            WriteCounts(x, tests, failures, skipped, errors);
            suite(x);
            x.WriteEndElement();
            x.WriteEndElement();
        }
        w.WriteLine("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        w.WriteLine(sb.ToString());
    }

    private static void WriteCounts(XmlWriter x, int tests, int failures, int skipped, int errors)
    {
        CultureInfo inv = System.Globalization.CultureInfo.InvariantCulture;
        x.WriteAttributeString("tests", tests.ToString(inv));
        x.WriteAttributeString("failures", failures.ToString(inv));
        x.WriteAttributeString("errors", errors.ToString(inv));
        x.WriteAttributeString("skipped", skipped.ToString(inv));
    }
}
