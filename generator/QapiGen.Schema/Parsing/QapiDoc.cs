using System.Collections.Generic;
using System.Text;
using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// A documentation comment block: definition documentation (it starts with <c>@symbol:</c>)
/// or free-form documentation. Lines arrive one at a time; which part of the block a line
/// extends (body, member descriptions, feature descriptions, tagged sections) depends on
/// the lines before it, so the block is a small state machine, as in the reference.
/// </summary>
public sealed class QapiDoc
{
    /// <summary>A run of documentation text: the body, a description or a tagged section.</summary>
    public class Section
    {
        // Columns to strip from each line; null until the first non-blank, non-first line.
        private int? _indent;
        // The section's text is lines _first to _first + _count - 1 of its file's doc lines (one section
        // is written at a time, so its lines are consecutive there), made a string only when read.
        private DocLines? _lines;
        private int _first;
        private int _count;
        private string? _text;

        internal Section(string? name = null)
        {
            Name = name;
            _indent = name != null ? null : 0;
        }

        /// <summary>Member, feature or section tag; null for the body and untagged sections.</summary>
        public string? Name { get; }

        /// <summary>The text, without leading and trailing blank lines; made on first read (it may be read on several threads).</summary>
        public string Text => _text ?? (_text = MakeText());

        /// <summary>Appends <see cref="Text"/> to <paramref name="builder"/> without making it a string (the dump of every doc).</summary>
        public void AppendTextTo(StringBuilder builder)
        {
            if (_text != null)
            {
                builder.Append(_text);
                return;
            }

            TextLines(out int first, out int last);
            for (int i = first; i <= last; i++)
            {
                if (i > first)
                {
                    builder.Append('\n');
                }

                _lines![i].AppendTo(builder);
            }
        }

        // The first and last non-blank lines (last < first: none): the text trims blank lines at both ends.
        private void TextLines(out int first, out int last)
        {
            first = _first;
            last = _first + _count - 1;
            while (first <= last && _lines![first].Length == 0)
            {
                first++;
            }

            while (last >= first && _lines![last].Length == 0)
            {
                last--;
            }
        }

        [System.ThreadStatic]
        private static StringBuilder? _builder;

        private string MakeText()
        {
            TextLines(out int first, out int last);
            if (last < first)
            {
                return "";
            }

            if (first == last)
            {
                return _lines![first].ToString();
            }

            StringBuilder builder = (_builder ??= new StringBuilder()).Clear();
            AppendTextTo(builder);
            return builder.ToString();
        }

        internal void Open(DocLines lines)
        {
            _lines = lines;
            _first = lines.Count;
            _count = 0;
        }

        /// <summary>Whether the section has text once blank lines are trimmed (only the body may not).</summary>
        internal bool HasText
        {
            get
            {
                TextLines(out int first, out int last);
                return first <= last;
            }
        }

        /// <summary>No line has been added (a blank one counts).</summary>
        internal bool IsEmpty => _count == 0;

        internal bool EndsWithBlankLine => _count >= 2 && _lines![_first + _count - 1].Length == 0;

        internal void Append(DocLine line, QapiSchemaParser parser)
        {
            line = line.TrimEnd();
            if (line.Length > 0)
            {
                int indent = line.LeadingWhitespace(out _);
                if (_indent == null)
                {
                    if (!IsEmpty)
                    {
                        _indent = indent;
                    }
                }
                else if (indent < _indent)
                {
                    throw parser.Error($"unexpected de-indent (expected at least {_indent} spaces)");
                }
                if (_indent is int strip)
                {
                    line = line.SkipChars(strip);
                }
            }
            System.Diagnostics.Debug.Assert(_lines != null && _first + _count == _lines.Count, "a section written after another");
            _lines!.Add(line);
            _count++;
        }
    }

    /// <summary>The description of one member or feature, connected to it once the model is built.</summary>
    public sealed class ArgSection : Section
    {
        internal ArgSection(string name) : base(name) { }

        public new string Name => base.Name!;

        /// <summary>Whether a member or feature of the definition has this name.</summary>
        public bool IsConnected { get; private set; }

        internal void Connect() => IsConnected = true;
    }


    // The parser of the comment's file, while the comment is read (for the file's doc lines and for
    // locating errors). Dropped at the end of the comment: a doc lives as long as the schema model, and
    // keeps of its file the bytes its sections' lines are in (DocLines), not the parser's state.
    private QapiSchemaParser? _reading;
    // Made when the first description is: most comments describe no feature, many no member.
    private ArgSections? _args;
    private ArgSections? _features;
    private List<Section>? _sections;
    private Section _section;
    // Which part of the block the next line extends: a state, not a delegate (no allocation per switch).
    private LinePart _part;
    private bool _ended;

    private QapiSchemaParser Parser => _reading ?? throw new System.InvalidOperationException("the doc comment has been read");

    private enum LinePart { Body, Args, Features, Various }

    internal QapiDoc(QapiSchemaParser parser, QapiSourceInfo info)
    {
        _reading = parser;
        Info = info;
        Body = new Section();
        Body.Open(parser.DocLines);
        _section = Body;
    }

    public QapiSourceInfo Info { get; }

    /// <summary>The documented definition's name; null for free-form documentation.</summary>
    public string? Symbol { get; private set; }

    public Section Body { get; }

    /// <summary>Member descriptions in order: documented ones first, then undocumented members as connected.</summary>
    public IEnumerable<ArgSection> Args => InOrder(_args);

    /// <summary>The description of the member <paramref name="name"/>, if the block has one (a lookup, not a walk of <see cref="Args"/>).</summary>
    public ArgSection? Arg(string name) => _args?.Find(name);

    public IEnumerable<ArgSection> Features => InOrder(_features);

    // Indexed access for the dump, which walks every doc: no iterator per doc.
    internal int ArgCount => _args?.Count ?? 0;

    internal ArgSection ArgAt(int index) => _args![index];

    internal int FeatureCount => _features?.Count ?? 0;

    internal ArgSection FeatureAt(int index) => _features![index];

    private static IEnumerable<ArgSection> InOrder(ArgSections? sections)
    {
        for (int i = 0; i < (sections?.Count ?? 0); i++)
        {
            yield return sections![i];
        }
    }

    /// <summary>The tagged and untagged sections after the descriptions, in order.</summary>
    public List<Section> Sections => _sections ??= new List<Section>();

    public bool HasFeatures => _features is { Count: > 0 };

    public bool HasSection(string name)
    {
        if (_sections == null)
        {
            return false;
        }

        // A loop, not Exists with a lambda: the lambda captures the name, a closure per call.
        foreach (Section section in _sections)
        {
            if (section.Name == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Adds one comment line, including its leading '#'.</summary>
    internal void Append(DocLine line)
    {
        if (line.Length == 1)
        {
            // The empty line where the '#' ends: a view of the file, as every line of a section is.
            AppendFreeform(line.Slice(1));
            return;
        }
        if (line[1] != ' ')
        {
            throw Parser.Error("missing space after #");
        }

        line = line.Slice(2);
        switch (_part)
        {
            case LinePart.Body:
                AppendBodyLine(line);
                break;
            case LinePart.Args:
                AppendArgsLine(line);
                break;
            case LinePart.Features:
                AppendFeaturesLine(line);
                break;
            default:
                AppendVariousLine(line);
                break;
        }
    }

    internal void EndComment()
    {
        SwitchSection(null);
        _ended = true;
        _reading = null;
    }

    private void AppendBodyLine(DocLine line)
    {
        if (Symbol == null && Body.IsEmpty && line.StartsWith("@"))
        {
            if (!line.EndsWith(':'))
            {
                throw Parser.Error("line should end with ':'");
            }

            Symbol = line.Intern(1, line.Length - 2, Parser.Strings);
            // The name must match the definition that follows; expression checks verify it.
            if (Symbol.Length == 0)
            {
                throw Parser.Error("name required after '@'");
            }
        }
        else if (Symbol != null)
        {
            if (DocLineMatch.AtNameColon(line, out _, out _, Parser.Strings))
            {
                _part = LinePart.Args;
                AppendArgsLine(line);
            }
            else if (line.Is("Features:"))
            {
                _part = LinePart.Features;
            }
            else if (DocLineMatch.SectionTag(line, out _, out _))
            {
                _part = LinePart.Various;
                AppendVariousLine(line);
            }
            else
            {
                AppendFreeform(line);
            }
        }
        else
        {
            AppendFreeform(line);
        }
    }

    private void AppendArgsLine(DocLine line)
    {
        if (DocLineMatch.AtNameColon(line, out string? name, out int end, Parser.Strings))
        {
            line = line.Slice(end);
            StartSymbolSection(ref _args, name);
        }
        else if (DocLineMatch.SectionTag(line, out _, out _))
        {
            _part = LinePart.Various;
            AppendVariousLine(line);
            return;
        }
        else if (EndsParagraph() && line.Length > 0 && !line.IsWhiteSpaceAt(0, out _))
        {
            if (line.Is("Features:"))
            {
                _part = LinePart.Features;
            }
            else
            {
                StartSection(null);
                _part = LinePart.Various;
                AppendVariousLine(line);
            }
            return;
        }
        AppendFreeform(line);
    }

    private void AppendFeaturesLine(DocLine line)
    {
        if (DocLineMatch.AtNameColon(line, out string? name, out int end, Parser.Strings))
        {
            line = line.Slice(end);
            StartSymbolSection(ref _features, name);
        }
        else if (DocLineMatch.SectionTag(line, out _, out _))
        {
            _part = LinePart.Various;
            AppendVariousLine(line);
            return;
        }
        else if (EndsParagraph() && line.Length > 0 && !line.IsWhiteSpaceAt(0, out _))
        {
            StartSection(null);
            _part = LinePart.Various;
            AppendVariousLine(line);
            return;
        }
        AppendFreeform(line);
    }

    private void AppendVariousLine(DocLine line)
    {
        if (DocLineMatch.AtNameColon(line, out string? name, out _))
        {
            throw Parser.Error($"description of '@{name}:' follows a section");
        }

        if (DocLineMatch.SectionTag(line, out string? tag, out int end))
        {
            line = line.Slice(end);
            StartSection(tag);
        }
        AppendFreeform(line);
    }

    private bool EndsParagraph() => _section.EndsWithBlankLine;

    private void StartSymbolSection(ref ArgSections? sections, string name)
    {
        if (name.Length == 0)
        {
            throw Parser.Error("invalid parameter name");
        }

        sections ??= new ArgSections();
        if (sections.Find(name) != null)
        {
            throw Parser.Error($"'{name}' parameter name duplicated");
        }

        var section = new ArgSection(name);
        SwitchSection(section);
        sections.Add(section);
    }

    private void StartSection(string? name)
    {
        if ((name == "Returns" || name == "Since") && HasSection(name))
        {
            throw Parser.Error($"duplicated '{name}' section");
        }

        var section = new Section(name);
        SwitchSection(section);
        (_sections ??= new List<Section>()).Add(section);
    }

    private void SwitchSection(Section? next)
    {
        // Only the body may be empty; a tagged section needs text.
        if (_section != Body && !_section.HasText)
        {
            throw Parser.Error($"empty doc section '{_section.Name}'");
        }

        if (next != null)
        {
            _section = next;
            next.Open(Parser.DocLines);
        }
    }

    private void AppendFreeform(DocLine line)
    {
        System.Diagnostics.Debug.Assert(!_ended, "text appended after the end of the comment");
        if (DocLineMatch.FreeformSymbol(line, out string? symbol))
        {
            throw Parser.Error($"'{symbol}' not allowed in free-form documentation");
        }

        _section.Append(line, Parser);
    }

    /// <summary>Records that the definition has member <paramref name="name"/> (documented or not).</summary>
    public void ConnectMember(string name)
    {
        _args ??= new ArgSections();
        ArgSection? section = _args.Find(name);
        if (section == null)
        {
            // Undocumented members get an empty description, as in the reference.
            section = new ArgSection(name);
            _args.Add(section);
        }
        section.Connect();
    }

    /// <summary>Records that the definition has feature <paramref name="name"/>; features must be documented.</summary>
    public void ConnectFeature(string name, QapiSourceInfo? featureInfo)
    {
        ArgSection? section = _features?.Find(name);
        if (section == null)
        {
            throw new QapiSemError(featureInfo, $"feature '{name}' lacks documentation");
        }

        section.Connect();
    }

    /// <summary>Checks that only commands document a return value.</summary>
    public void CheckExpr(QapiExpression expr, QapiSchemaOptions? options = null)
    {
        if (HasSection("Returns") && !expr.ContainsKey("command"))
        {
            (options ?? QapiSchemaOptions.Strict).ReportDocError(new QapiSemError(Info, "'Returns:' is only valid for commands"));
        }
    }

    /// <summary>Checks that every description names a real member or feature.</summary>
    public void Check()
    {
        CheckArgSections(_args, "member");
        CheckArgSections(_features, "feature");
    }

    private void CheckArgSections(ArgSections? sections, string what)
    {
        // Runs for every documented definition: the list is made only for the error.
        List<string>? bogus = null;
        for (int i = 0; i < (sections?.Count ?? 0); i++)
        {
            if (!sections![i].IsConnected)
            {
                (bogus ??= new List<string>()).Add(sections[i].Name);
            }
        }
        if (bogus == null)
        {
            return;
        }

        bool plural = bogus.Count > 1;
        throw new QapiSemError(Info,
            $"documented {what}{(plural ? "s" : "")} '{string.Join("', '", bogus)}' {(plural ? "do" : "does")} not exist");
    }
}
