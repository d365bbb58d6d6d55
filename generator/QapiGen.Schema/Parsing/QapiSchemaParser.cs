using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// Reads schema text into top-level expressions and doc comments. The language is JSON-like:
/// single-quoted strings with only the <c>\\</c> escape, <c>true</c> / <c>false</c>, objects, arrays,
/// and '#' comments; '##' opens a doc comment. <c>include</c> and <c>pragma</c> directives are
/// handled here, so the caller gets the expressions of all included files in order.
/// </summary>
public sealed class QapiSchemaParser
{
    private readonly string _fileName;
    private readonly ISchemaFileSystem _fs;
    private readonly QapiSchemaOptions _options;
    // The file's UTF-8 bytes, from _cursor's start to _end, the last one a newline.
    private byte[] _src = Array.Empty<byte>();
    private int _end;

    // Lexer state: the current token, its position and value, and where the line starts.
    // The reference copies its source info at every newline; here the copy for a line is made
    // only when something on that line asks for it (a definition, a doc comment, an error).
    private QapiSourceInfo _lineInfo;
    private int _line = 1;

    private QapiSourceInfo _info
    {
        get
        {
            if (_lineInfo.Line != _line)
            {
                _lineInfo = _lineInfo.AtLine(_line);
            }

            return _lineInfo;
        }
    }
    private char? _tok;
    private int _pos;
    private int _cursor;
    private object? _val;
    private int _linePos;
    private readonly StringBuilder _string = new();
    // The current comment line ('#' token): a view of _src, copied only into doc text.
    private DocLine _comment;

    /// <summary>The file's doc comment lines, which its docs' sections are runs of (made at the first).</summary>
    internal DocLines DocLines => _docLines ??= new DocLines(_src, _end / 32);

    private DocLines? _docLines;

    /// <summary>The run's strings of names: a doc names its definition and members with the texts of their tokens.</summary>
    internal TokenStrings Strings => _state.Strings;

    private QapiSchemaParser(string fileName, IncludeState state)
    {
        _fileName = fileName;
        _state = state;
        _fs = state.Fs;
        _options = state.Options;
        // The file's infos get their parent (the include directive that reads the file first) when
        // the file's events are replayed: it is not known while the file may be parsed ahead.
        _lineInfo = new QapiSourceInfo(fileName, null);
        Exprs = state.Exprs;
        Docs = state.Docs;
    }

    /// <summary>
    /// What the parsers of one run share: files already read, the files being read (the include
    /// chain, for loops), the expressions and docs of all files, appended in reading order, and
    /// the files parsed ahead.
    /// </summary>
    private sealed class IncludeState
    {
        public IncludeState(ISchemaFileSystem fs, QapiSchemaOptions options, int workers)
        {
            Fs = fs;
            Options = options;
            Scheduler = new IncludeScheduler(ReadFile, workers);
        }

        public ISchemaFileSystem Fs { get; }
        public QapiSchemaOptions Options { get; }
        public HashSet<string> Included { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Open { get; } = new(StringComparer.Ordinal);
        public List<QapiExpression> Exprs { get; } = new();
        public List<QapiDoc> Docs { get; } = new();
        public TokenStrings Strings { get; } = new();
        public IncludeScheduler Scheduler { get; }

        /// <summary>An included file read and parsed on its own: its events, or the reason it cannot be read.</summary>
        public QapiSchemaParser ReadFile(string fileName)
        {
            var parser = new QapiSchemaParser(fileName, this);
            SchemaBytes text;
            try
            {
                text = SchemaFileSystem.ReadSchemaBytes(Fs, fileName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                parser.ReadError = e;
                return parser;
            }
            parser.ParseText(text);
            return parser;
        }
    }

    private readonly IncludeState _state;
    private List<ParseEvent> _events = new();

    /// <summary>Why the file could not be read (an included file; the main file's failure is thrown).</summary>
    private Exception? ReadError { get; set; }

    /// <summary>The expressions of the file and, in place of each include directive, those of the included file.</summary>
    public List<QapiExpression> Exprs { get; }

    /// <summary>The doc comments of the file and the files it includes, in reading order.</summary>
    public List<QapiDoc> Docs { get; }

    /// <summary>How many included files were parsed by another thread (for tests).</summary>
    internal int ParsedAhead { get; private set; }

    /// <summary>Parses <paramref name="fileName"/> and everything it includes.</summary>
    /// <remarks>
    /// <para>
    /// Every file is parsed on its own into events (<see cref="ParseEvent"/>), included files on the
    /// other cores as soon as a directive names them (<see cref="IncludeScheduler"/>), and the events
    /// are then replayed in the reference's reading order: depth first, each file where it is first
    /// included, every later include only recorded. So the expressions, the docs, the warnings and
    /// the first error are those of reading the files one after another.
    /// </para>
    /// <para>
    /// Includes are followed with an explicit stack, not by recursion, so the depth of an include
    /// chain is bounded by memory only (a chain of thousands of files is read, not overflowed).
    /// Every file, the main one included, is read through <see cref="SchemaFileSystem.ReadSchemaText"/>:
    /// regular files only, at most <see cref="SchemaFileSystem.MaxFileSize"/>. The file system may be
    /// called from several threads at once.
    /// </para>
    /// </remarks>
    /// <exception cref="QapiError">the first error, located.</exception>
    /// <exception cref="IOException">the main file cannot be read.</exception>
    public static QapiSchemaParser Parse(string fileName, ISchemaFileSystem? fileSystem = null, QapiSchemaOptions? options = null)
        => Parse(fileName, fileSystem, options, IncludeScheduler.DefaultWorkers);

    /// <summary><see cref="Parse(string, ISchemaFileSystem?, QapiSchemaOptions?)"/> with <paramref name="workers"/> threads parsing ahead (0: none).</summary>
    internal static QapiSchemaParser Parse(string fileName, ISchemaFileSystem? fileSystem, QapiSchemaOptions? options, int workers)
    {
        var state = new IncludeState(fileSystem ?? SchemaFileSystem.Disk, options ?? QapiSchemaOptions.Strict, workers);
        SchemaBytes text = SchemaFileSystem.ReadSchemaBytes(state.Fs, fileName);
        var main = new QapiSchemaParser(fileName, state);
        string mainPath = state.Fs.GetFullPath(fileName);
        state.Scheduler.Claim(mainPath, fileName);
        try
        {
            main.ParseText(text);
            state.Included.Add(mainPath);
            state.Open.Add(mainPath);
            var reading = new Stack<(QapiSchemaParser File, int Next, string FullPath)>();
            reading.Push((main, 0, mainPath));
            while (reading.Count > 0)
            {
                (QapiSchemaParser file, int next, string fullPath) = reading.Pop();
                QapiSchemaParser? included = file.Replay(ref next);
                if (included != null)
                {
                    reading.Push((file, next, fullPath));
                    reading.Push((included, 0, included._fullPathForReplay!));
                }
                else
                {
                    state.Open.Remove(fullPath);
                }
            }
        }
        finally
        {
            state.Scheduler.Stop();
        }
        main.ParsedAhead = state.Scheduler.ParsedAhead;
        return main;
    }

    // The key of an included file being replayed, set when its directive is replayed.
    private string? _fullPathForReplay;

    /// <summary>
    /// Replays this file's events from <paramref name="next"/> on, into the run's lists, until the file
    /// ends (null) or an include directive reads a file not read yet: then returns that file's parse,
    /// to be replayed to its end before this one resumes.
    /// </summary>
    private QapiSchemaParser? Replay(ref int next)
    {
        while (next < _events.Count)
        {
            ParseEvent e = _events[next++];
            switch (e.Kind)
            {
                case ParseEventKind.Expression:
                    Exprs.Add((QapiExpression)e.Item);
                    break;
                case ParseEventKind.Doc:
                    Docs.Add((QapiDoc)e.Item);
                    break;
                case ParseEventKind.Warning:
                    _options.Warnings.Add((QapiError)e.Item);
                    break;
                case ParseEventKind.Pragma:
                    var pragma = (QapiExpression)e.Item;
                    foreach (KeyValuePair<string, object> kv in (QDict)pragma["pragma"])
                    {
                        ApplyPragma(LegacyPragmaName(kv.Key), kv.Value, pragma.Info);
                    }
                    break;
                case ParseEventKind.Include:
                    var include = (IncludeDirective)e.Item;
                    QapiExpression directive = include.Directive;
                    Exprs.Add(directive);
                    QapiSchemaParser? sub = Include(include.Include, directive.Info, (string)directive["include"], include.FullPath);
                    if (sub != null)
                    {
                        return sub;
                    }
                    break;
                default:
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture((Exception)e.Item).Throw();
                    break;
            }
        }
        return null;
    }

    // The doc comment read last, waiting for its definition.
    private QapiDoc? _curDoc;

    /// <summary>Parses the file's text into its events; the first error ends it, as the last event.</summary>
    private void ParseText(SchemaBytes text)
    {
        try
        {
            // About one event (a definition, a doc comment, a directive) per 330 bytes in QEMU's schema.
            _events = new List<ParseEvent>(text.Length / 256 + 4);
            _src = text.Bytes;
            _cursor = _linePos = text.Start;
            _end = text.Start + text.Length;
            if (text.Length == 0 || _src[_end - 1] != '\n')
            {
                // The room SchemaBytes keeps after the text.
                _src[_end++] = (byte)'\n';
            }

            Accept();
            ReadAll();
        }
        catch (Exception e)
        {
            // Whatever it is, it is thrown where the reading order reaches it, not on this (maybe another) thread.
            _events.Add(ParseEvent.Error(e));
        }
    }

    /// <summary>Reads the file's expressions and doc comments to its end.</summary>
    private void ReadAll()
    {
        while (_tok != null)
        {
            QapiSourceInfo info = _info;
            if (_tok == '#')
            {
                RejectExprDoc(_curDoc);
                _curDoc = null;
                _curDoc = GetDocLeniently(info);
                continue;
            }

            object value = GetExpr();
            if (value is not QDict expr)
            {
                throw new QapiSemError(info, "top-level expression must be an object");
            }

            if (expr.ContainsKey("include"))
            {
                RejectExprDoc(_curDoc);
                _curDoc = null;
                if (expr.Count != 1)
                {
                    throw new QapiSemError(info, "invalid 'include' directive");
                }

                if (expr["include"] is not string include)
                {
                    throw new QapiSemError(info, "value of 'include' must be a string");
                }

                string inclFileName = PathJoin(PathDirName(_fileName), include);
                var directive = new QDict(1) { ["include"] = inclFileName };
                string inclAbs = _fs.GetFullPath(inclFileName);
                _events.Add(ParseEvent.Include(new IncludeDirective(new QapiExpression(directive, info), include, inclAbs)));
                _state.Scheduler.Offer(inclAbs, inclFileName);
            }
            else if (expr.ContainsKey("pragma"))
            {
                RejectExprDoc(_curDoc);
                if (expr.Count != 1)
                {
                    throw new QapiSemError(info, "invalid 'pragma' directive");
                }

                if (expr["pragma"] is not QDict)
                {
                    throw new QapiSemError(info, "value of 'pragma' must be an object");
                }

                _events.Add(ParseEvent.Pragma(new QapiExpression(expr, info)));
            }
            else
            {
                if (_curDoc != null && _curDoc.Symbol == null)
                {
                    ReportDocError(new QapiSemError(_curDoc.Info, "definition documentation required"));
                    _curDoc = null;
                }
                _events.Add(ParseEvent.Expression(new QapiExpression(expr, info, _curDoc)));
            }
            _curDoc = null;
        }
        RejectExprDoc(_curDoc);
        _curDoc = null;
    }

    /// <summary>A doc-comment problem: the error that ends the file, or a warning when docs are lenient.</summary>
    private void ReportDocError(QapiError error)
    {
        if (!(_options.LenientDocs || _options.Lenient))
        {
            throw error;
        }

        _events.Add(ParseEvent.Warning(error));
    }

    private void RejectExprDoc(QapiDoc? doc)
    {
        if (doc?.Symbol != null)
        {
            ReportDocError(new QapiSemError(doc.Info, $"documentation for '{doc.Symbol}' is not followed by the definition"));
        }
    }

    /// <summary>The parse of an included file, attached to its directive; null when the file was read already.</summary>
    private QapiSchemaParser? Include(string include, QapiSourceInfo info, string inclFileName, string inclAbs)
    {
        // A file that includes itself, directly or through others, is on the chain being read.
        if (_state.Open.Contains(inclAbs))
        {
            throw new QapiSemError(info, $"inclusion loop for {include}");
        }

        // Each file is read once; later includes of it only record the dependency.
        if (_state.Included.Contains(inclAbs))
        {
            return null;
        }

        QapiSchemaParser parser = _state.Scheduler.Take(inclAbs, inclFileName) ?? _state.ReadFile(inclFileName);
        if (parser.ReadError is { } e)
        {
            throw new QapiSemError(info, $"can't read include file '{inclFileName}': {SchemaFileSystem.Describe(e)}");
        }

        parser._lineInfo.AttachTo(info);
        parser._fullPathForReplay = inclAbs;
        _state.Included.Add(inclAbs);
        _state.Open.Add(inclAbs);
        return parser;
    }

    /// <summary>
    /// QEMU before 6.0 spelled two pragmas differently; the older language (lenient option only)
    /// maps them to their current names.
    /// </summary>
    private string LegacyPragmaName(string name)
    {
        if (!_options.Lenient)
        {
            return name;
        }

        return name switch
        {
            "returns-whitelist" => "command-returns-exceptions",
            "name-case-whitelist" => "member-name-exceptions",
            _ => name,
        };
    }

    private static void ApplyPragma(string name, object value, QapiSourceInfo info)
    {
        QapiPragma pragma = info.Pragma;
        switch (name)
        {
            case "doc-required":
                if (value is not bool b)
                {
                    throw new QapiSemError(info, "pragma 'doc-required' must be boolean");
                }

                pragma.DocRequired = b;
                break;
            case "command-name-exceptions":
                Replace(pragma.CommandNameExceptions, CheckListStr(name, value, info));
                break;
            case "command-returns-exceptions":
                Replace(pragma.CommandReturnsExceptions, CheckListStr(name, value, info));
                break;
            case "member-name-exceptions":
                Replace(pragma.MemberNameExceptions, CheckListStr(name, value, info));
                break;
            default:
                throw new QapiSemError(info, $"unknown pragma '{name}'");
        }
    }

    private static void Replace(List<string> target, List<string> values)
    {
        target.Clear();
        target.AddRange(values);
    }

    private static List<string> CheckListStr(string name, object value, QapiSourceInfo info)
    {
        var result = new List<string>();
        if (value is List<object> list)
        {
            foreach (object elt in list)
            {
                if (elt is not string s)
                {
                    throw new QapiSemError(info, $"pragma {name} must be a list of strings");
                }

                result.Add(s);
            }
            return result;
        }
        throw new QapiSemError(info, $"pragma {name} must be a list of strings");
    }

    /// <summary>A syntax error at the current token.</summary>
    internal QapiParseError Error(string message)
    {
        // In characters, as the reference counts them: a byte that continues a character is not one.
        int col = 1;
        for (int i = _linePos; i < _pos; i++)
        {
            if (_src[i] == '\t')
            {
                col = (col + 7) % 8 + 1;
            }
            else if (!Utf8Text.IsContinuation(_src[i]))
            {
                col++;
            }
        }
        return new QapiParseError(_info, message, col);
    }

    private void Accept(bool skipComment = true)
    {
        while (true)
        {
            byte b = _src[_cursor];
            char tok = (char)b;
            _tok = tok;
            _pos = _cursor;
            _cursor++;
            _val = null;

            if (tok == '#')
            {
                if (_src[_cursor] == '#')
                {
                    skipComment = false; // a doc comment starts
                }

                _cursor = Array.IndexOf(_src, (byte)'\n', _cursor, _end - _cursor);
                if (!skipComment)
                {
                    _comment = new DocLine(_src, _pos, _cursor - _pos);
                    return;
                }
            }
            else if (tok is '{' or '}' or ':' or ',' or '[' or ']')
            {
                return;
            }
            else if (tok == '\'')
            {
                // The usual string, printable ASCII without a backslash, is taken straight from the
                // source (one instance per text); anything else goes the character-by-character way.
                int end = _cursor;
                byte c;
                while ((c = _src[end]) != '\'' && c != '\\' && c >= 32 && c < 127)
                {
                    end++;
                }

                if (c == '\'')
                {
                    _val = _state.Strings.Get(_src, _cursor, end - _cursor);
                    _cursor = end + 1;
                    return;
                }

                StringBuilder sb = _string.Clear();
                bool esc = false;
                while (true)
                {
                    byte ch = _src[_cursor];
                    _cursor++;
                    if (ch == '\n')
                    {
                        throw Error("missing terminating \"'\"");
                    }

                    if (esc)
                    {
                        // Only \\ is recognised: the language has no use for other escapes.
                        if (ch != '\\')
                        {
                            throw Error($"unknown escape \\{CharAt(_cursor - 1)}");
                        }

                        esc = false;
                    }
                    else if (ch == '\\')
                    {
                        esc = true;
                        continue;
                    }
                    else if (ch == '\'')
                    {
                        _val = sb.ToString();
                        return;
                    }
                    if (ch < 32 || ch >= 127)
                    {
                        throw Error("funny character in string");
                    }

                    sb.Append((char)ch);
                }
            }
            else if (tok == 't' && IsAt(_pos, "true"))
            {
                _val = true;
                _cursor += 3;
                return;
            }
            else if (tok == 'f' && IsAt(_pos, "false"))
            {
                _val = false;
                _cursor += 4;
                return;
            }
            else if (tok == '\n')
            {
                if (_cursor == _end)
                {
                    _tok = null;
                    return;
                }
                _line++;
                _linePos = _cursor;
            }
            else
            {
                int length = 1;
                if (b < 0x80 ? !char.IsWhiteSpace(tok) : !Utf8Text.IsWhiteSpaceAt(_src, _pos, out length))
                {
                    // Show up to the next structural, whitespace or quote character.
                    int end = _pos;
                    while (end < _end && !IsStrayStop(end, out int n))
                    {
                        end += n;
                    }

                    throw Error($"stray '{Utf8Text.GetString(_src, _pos, end - _pos)}'");
                }
                // Whitespace, skipped whole (a no-break space is two bytes).
                _cursor = _pos + length;
            }
        }
    }

    private bool IsStrayStop(int i, out int length)
    {
        byte c = _src[i];
        length = 1;
        return c is (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)':' or (byte)',' or (byte)'\''
            || Utf8Text.IsWhiteSpaceAt(_src, i, out length);
    }

    // Whether the ASCII word is at i (the newline at the end stops a comparison past the text).
    private bool IsAt(int i, string word)
    {
        for (int k = 0; k < word.Length; k++)
        {
            if (i + k >= _end || _src[i + k] != word[k])
            {
                return false;
            }
        }
        return true;
    }

    // The character that starts at i, for an error message.
    private string CharAt(int i) => Utf8Text.GetString(_src, i, Utf8Text.Length(_src[i]));

    // The entries of the objects being read, innermost last: an object's entries are copied out once,
    // into an array of their number, when its '}' is read (QDict(KeyValuePair[])).
    private KeyValuePair<string, object>[] _members = new KeyValuePair<string, object>[32];
    private int _memberCount;

    private QDict GetMembers()
    {
        if (_tok == '}')
        {
            Accept();
            return new QDict(0);
        }
        if (_tok != '\'')
        {
            throw Error("expected string or '}'");
        }

        int first = _memberCount;
        HashSet<string>? keys = null;
        while (true)
        {
            string key = (string)_val!;
            Accept();
            if (_tok != ':')
            {
                throw Error("expected ':'");
            }

            Accept();
            if (IsDuplicate(first, key, ref keys))
            {
                throw Error($"duplicate key '{key}'");
            }

            object value = GetExpr();
            if (_memberCount == _members.Length)
            {
                Array.Resize(ref _members, _members.Length * 2);
            }

            _members[_memberCount++] = new KeyValuePair<string, object>(key, value);
            if (_tok == '}')
            {
                Accept();
                var entries = new KeyValuePair<string, object>[_memberCount - first];
                Array.Copy(_members, first, entries, 0, entries.Length);
                Array.Clear(_members, first, entries.Length);
                _memberCount = first;
                return new QDict(entries);
            }
            if (_tok != ',')
            {
                throw Error("expected ',' or '}'");
            }

            Accept();
            if (_tok != '\'')
            {
                throw Error("expected string");
            }
        }
    }

    // Whether the object whose entries start at first has key already: compared one by one while it
    // is small, looked up in a set of its keys (made once) when it is large.
    private bool IsDuplicate(int first, string key, ref HashSet<string>? keys)
    {
        if (keys == null && _memberCount - first < 16)
        {
            for (int i = first; i < _memberCount; i++)
            {
                if (string.Equals(_members[i].Key, key, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }

        if (keys == null)
        {
            keys = new HashSet<string>(StringComparer.Ordinal);
            for (int i = first; i < _memberCount; i++)
            {
                keys.Add(_members[i].Key);
            }
        }
        return !keys.Add(key);
    }

    private List<object> GetValues()
    {
        var expr = new List<object>();
        if (_tok == ']')
        {
            Accept();
            return expr;
        }
        if (_tok is not ('{' or '[' or '\'' or 't' or 'f'))
        {
            throw Error("expected '{', '[', ']', string, or boolean");
        }

        while (true)
        {
            expr.Add(GetExpr());
            if (_tok == ']')
            {
                Accept();
                return expr;
            }
            if (_tok != ',')
            {
                throw Error("expected ',' or ']'");
            }

            Accept();
        }
    }

    private object GetExpr()
    {
        // Recursion depth follows the input's nesting; refuse absurd depths instead of overflowing the stack.
        if (++_depth > MaxDepth)
        {
            throw Error($"nesting too deep (more than {MaxDepth} levels)");
        }

        try
        {
            switch (_tok)
            {
                case '{':
                    Accept();
                    return GetMembers();
                case '[':
                    Accept();
                    return GetValues();
                case '\'' or 't' or 'f':
                    object value = _val!;
                    Accept();
                    return value;
                default:
                    throw Error("expected '{', '[', string, or boolean");
            }
        }
        finally
        {
            _depth--;
        }
    }

    private const int MaxDepth = 1000;
    private int _depth;

    /// <summary>
    /// Reads a doc comment. With lenient docs, a malformed comment becomes a warning and is
    /// skipped up to its closing '##', so the definitions around it still load.
    /// </summary>
    /// <returns>The comment's last doc (its blocks are events), or null when it was skipped.</returns>
    private QapiDoc? GetDocLeniently(QapiSourceInfo info)
    {
        try
        {
            return GetDoc(info);
        }
        catch (QapiParseError e) when (_options.LenientDocs || _options.Lenient)
        {
            _events.Add(ParseEvent.Warning(e));
            while (_tok == '#' && !_comment.StartsWith("##"))
            {
                Accept(false);
            }

            if (_tok == '#')
            {
                Accept();
            }

            return null;
        }
    }

    /// <summary>
    /// Reads a doc comment into its blocks (a heading starts a new one), added as events once the
    /// whole comment is read: a comment with an error adds none. Returns the last block.
    /// </summary>
    private QapiDoc GetDoc(QapiSourceInfo info)
    {
        if (!_comment.Is("##"))
        {
            throw Error("junk after '##' at start of documentation comment");
        }

        // Nearly every comment is one block: a list only for the blocks before the last.
        List<QapiDoc>? earlier = null;
        var cur = new QapiDoc(this, info);
        Accept(false);
        while (_tok == '#')
        {
            DocLine val = _comment;
            if (val.StartsWith("##"))
            {
                if (!val.Is("##"))
                {
                    throw Error("junk after '##' at end of documentation comment");
                }

                cur.EndComment();
                if (earlier != null)
                {
                    foreach (QapiDoc doc in earlier)
                    {
                        _events.Add(ParseEvent.Doc(doc));
                    }
                }
                _events.Add(ParseEvent.Doc(cur));
                Accept();
                return cur;
            }
            if (val.StartsWith("# ="))
            {
                if (cur.Symbol != null)
                {
                    throw Error("unexpected '=' markup in definition documentation");
                }

                if (!cur.Body.IsEmpty)
                {
                    // A heading starts a new free-form block.
                    cur.EndComment();
                    (earlier ??= new List<QapiDoc>()).Add(cur);
                    cur = new QapiDoc(this, info);
                }
            }
            cur.Append(val);
            Accept(false);
        }
        throw Error("documentation comment must end with '##'");
    }

    // Python's os.path.dirname / os.path.join, so include names print as the reference prints them.
    internal static string PathDirName(string path)
    {
        int i = path.LastIndexOf('/');
        if (i < 0)
        {
            return "";
        }

        string head = path.Substring(0, i + 1);
        string trimmed = head.TrimEnd('/');
        return trimmed.Length == 0 ? head : trimmed;
    }

    internal static string PathJoin(string dir, string name)
    {
        if (name.StartsWith("/", StringComparison.Ordinal) || dir.Length == 0)
        {
            return name;
        }

        return dir.EndsWith("/", StringComparison.Ordinal) ? dir + name : dir + "/" + name;
    }
}
