using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.CodeGen;

/// <summary>A schema construct the C# mapping cannot express; reported like a schema error.</summary>
public sealed class CodeGenException : QapiError
{
    public CodeGenException(QapiSourceInfo? info, string message) : base(info, message) { }
}

/// <summary>Derives the equatable <see cref="SchemaSpec"/> from a checked schema model.</summary>
public sealed class SpecBuilder
{
    /// <summary>Names the generated support code uses at namespace level.</summary>
    public static readonly IReadOnlyList<string> ReservedTypeNames = new[]
    {
        "QapiJson", "QapiPath", "QapiNull", "QapiJsonException", "QapiReadFunc", "IQapiCommands", "QapiCommandsBase", "QapiDispatcher",
        "QapiEvent", "QapiEvents", "QapiIntrospection", "QapiRecord", "QapiClient", "QapiEventParser",
        "QapiUnknownEvent", "QapiUnparsedEvent", "QapiUnknownValues", "QapiNotInBaselineAttribute", "QapiNotInBaseline",
        "QapiNames", "QapiEnumNames",
        // The aliases of the JSON file (JsonEmitter).
        "Utf8JsonReader", "Utf8JsonWriter", "JsonTokenType", "QapiUnknown",
        // Reader method suffixes of built-ins (QapiJson.ReadString etc.) and the list helper.
        "String", "Number", "Int", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Size",
        "Bool", "Null", "Any", "List",
        // Members of QapiJson.
        "Write", "ToWire", "TryParse", "Serialize", "Deserialize", "ExpectObject", "SkipValue", "ReadList",
        "IsKnown", "KeepUnknown", "WriteUnknownMembers", "UnknownEnum", "NeedMember", "OtherMember", "OtherOutputMember", "OtherOutputMembers", "MissingMember",
        "EnumNames", "ReadEnum", "ReadOutputEnum",
    };

    // Members every generated object class has: object's, and the bag of members a reader of output kept.
    // Members every generated record has: object's, the record's own (EqualityContract, PrintMembers,
    // Clone, which C# forbids as a record member name) and the unknown members of a newer server.
    private static readonly string[] ObjectMembers = { "GetType", "ToString", "Equals", "GetHashCode", "MemberwiseClone", "Finalize", "ReferenceEquals", "EqualityContract", "PrintMembers", "Deconstruct", "Clone", "UnknownMembers" };

    private readonly QapiSchema _schema;
    private string _ns = "";
    // The C# names, made first and only read afterwards: shared by the builders of the spec's pieces.
    private readonly Dictionary<string, string> _typeNames;
    private readonly HashSet<string> _baseStructs;
    private readonly Dictionary<string, string> _argumentNames;

    private readonly BaselineDiff? _baseline;
    // Each piece's own: what its types use, and the XML it made.
    private readonly HashSet<string> _referencedImplicitEnums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _memberXml = new(StringComparer.Ordinal);

    private SpecBuilder(QapiSchema schema, BaselineDiff? baseline)
    {
        _schema = schema;
        _baseline = baseline;
        _typeNames = new Dictionary<string, string>(StringComparer.Ordinal);
        _baseStructs = new HashSet<string>(StringComparer.Ordinal);
        _argumentNames = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    // A builder of another piece of the same spec, on another thread: the names of the first, state of its own.
    private SpecBuilder(SpecBuilder names)
    {
        _schema = names._schema;
        _baseline = names._baseline;
        _ns = names._ns;
        _typeNames = names._typeNames;
        _baseStructs = names._baseStructs;
        _argumentNames = names._argumentNames;
    }

    /// <summary>
    /// Builds the spec: a pure function of the schema's meaning (no positions, no source text), so two
    /// schema texts that differ only in comments or layout give equal specs. With <paramref name="baseline"/>, what the baseline lacks is marked, and output members mandatory in
    /// the schema but absent from the baseline become optional (nullable), so one client reads every server
    /// from the baseline to the schema.
    /// </summary>
    /// <exception cref="CodeGenException">a construct the C# mapping does not support.</exception>
    /// <param name="options">The side and the subset of commands and events to generate (default: everything).</param>
    /// <param name="runAll">
    /// Runs independent pieces of work and returns when all are done, one after another or at once (the
    /// CLI's threads); the spec is the same either way. Default: one after another. The pieces, once the
    /// C# names are made: the types, the introspection data, the commands and events, the enums.
    /// </param>
    public static SchemaSpec Build(QapiSchema schema, string @namespace, BaselineDiff? baseline = null, GenerationOptions? options = null,
        Action<IReadOnlyList<Action>>? runAll = null)
        => new SpecBuilder(schema, baseline).Run(@namespace, options ?? GenerationOptions.Default, runAll ?? RunInTurn);

    private static void RunInTurn(IReadOnlyList<Action> work)
    {
        foreach (Action a in work)
        {
            a();
        }
    }

    private string? BaselineLine(bool madeOptional) => _baseline == null ? null : madeOptional
        ? $"<para>Not in baseline {SpecBuilder.Xml(_baseline.Name)}: nullable here, although the schema makes it mandatory, because servers as old as the baseline do not send it.</para>"
        : $"<para>Not in baseline {SpecBuilder.Xml(_baseline.Name)}: servers as old as the baseline lack it.</para>";

    private static string? AppendDoc(string? doc, string? line) => line == null ? doc : doc == null ? line : doc + "\n" + line;

    private static string? AppendRemarks(string? doc, string? line) => line == null ? doc : (doc == null ? "" : doc + "\n") + "<remarks>\n" + line + "\n</remarks>";

    private SchemaSpec Run(string ns, GenerationOptions options, Action<IReadOnlyList<Action>> runAll)
    {
        _ns = ns;
        Dictionary<string, string> eventNames = Names();
        // The built-ins the schema does not serve are answered by the generated table, not by handlers: they add no
        // types or methods, only introspection entries and table rows.
        Func<string, bool, bool>? served = options.IsSubset ? options.Selector() : null;
        IReadOnlyList<string> builtIns = BuiltInCommands.Missing(_schema, served);

        // Four pieces that only read the schema and the names, each with a builder of its own, largest
        // first (QEMU's schema), in the order whose errors come first.
        var structs = new List<StructSpec>();
        var unions = new List<UnionSpec>();
        var alternates = new List<AlternateSpec>();
        List<CommandSpec>? commands = null;
        List<EventSpec>? events = null;
        var explicitEnums = new List<EnumSpec>();
        IntrospectionSpec? introspection = null;
        var calls = new SpecBuilder(this);
        var enumBuilder = new SpecBuilder(this);
        runAll(new Action[]
        {
            () =>
            {
                foreach (QapiSchemaType type in _schema.Types)
                {
                    switch (type)
                    {
                        case QapiSchemaObjectType { IsImplicit: false, IsUnion: false } s:
                            structs.Add(BuildStruct(s));
                            break;
                        case QapiSchemaObjectType { IsImplicit: false, IsUnion: true } u:
                            unions.Add(BuildUnion(u));
                            break;
                        case QapiSchemaAlternateType a:
                            alternates.Add(BuildAlternate(a));
                            break;
                    }
                }
            },
            () => introspection = IntrospectionSpec.Create(_schema, served, builtIns),
            () =>
            {
                Func<string, bool, bool> selected = options.Selector();
                Func<string, bool> takesFds = options.FdCommandSelector();
                commands = _schema.Commands.Where(c => selected(c.Name, false)).Select(c => calls.BuildCommand(c, takesFds(c.Name))).ToList();
                events = _schema.Events.Where(e => selected(e.Name, true)).Select(e => calls.BuildEvent(e, eventNames[e.Name])).ToList();
            },
            () => explicitEnums.AddRange(_schema.Types.OfType<QapiSchemaEnumType>().Where(e => !e.IsImplicit).Select(enumBuilder.BuildEnum)),
        });

        // Enums in the schema's order; the implicit ones (QType) only when something uses them.
        _referencedImplicitEnums.UnionWith(calls._referencedImplicitEnums);
        var enums = new List<EnumSpec>();
        int next = 0;
        foreach (QapiSchemaEnumType e in _schema.Types.OfType<QapiSchemaEnumType>())
        {
            if (!e.IsImplicit)
            {
                enums.Add(explicitEnums[next++]);
            }
            else if (_referencedImplicitEnums.Contains(e.Name))
            {
                enums.Add(BuildEnum(e));
            }
        }
        if (options.IsSubset || options.Scope is GenerationScope.Client or GenerationScope.Server)
        {
            // A subset, or one side, keeps the types its commands and events reach: no side uses the others.
            // C# names stay those of the whole schema.
            HashSet<string> reached = TypeReach.From(structs, unions, alternates,
                TypeReach.InputRoots(commands!).Concat(TypeReach.OutputRoots(commands!, events!)), withBases: true);
            enums = enums.Where(e => reached.Contains(e.CsName)).ToList();
            structs = structs.Where(x => reached.Contains(x.CsName)).ToList();
            unions = unions.Where(x => reached.Contains(x.CsName)).ToList();
            alternates = alternates.Where(x => reached.Contains(x.CsName)).ToList();
        }

        return new SchemaSpec(ns, enums.ToEquatableArray(), structs.ToEquatableArray(), unions.ToEquatableArray(),
            alternates.ToEquatableArray(), EquatableArray<TypeRef>.Empty, commands!.ToEquatableArray(),
            events!.ToEquatableArray(), introspection!, options.Scope, builtIns.ToEquatableArray());
    }

    // The C# names of the types, argument records and events (returned).
    private Dictionary<string, string> Names()
    {
        var taken = new HashSet<string>(ReservedTypeNames, StringComparer.Ordinal);
        foreach (QapiSchemaType type in _schema.Types)
        {
            if (type is QapiSchemaEnumType or QapiSchemaAlternateType || (type is QapiSchemaObjectType o && !o.IsImplicit))
            {
                _typeNames[type.Name] = CsNames.Unique(CsNames.Pascal(type.Name), taken);
            }

            if (type is QapiSchemaObjectType { Base: { } b, IsUnion: false })
            {
                _baseStructs.Add(b.Name);
            }
        }
        var eventNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (QapiSchemaEvent ev in _schema.Events)
        {
            eventNames[ev.Name] = CsNames.Unique(CsNames.Pascal(ev.Name) + "Event", taken);
        }
        // Argument records last, over the whole schema: a type or event of the schema keeps its name whatever
        // the commands are called, and a subset names its records as the whole schema does.
        foreach (QapiSchemaCommand c in _schema.Commands)
        {
            if (HasArgumentRecord(c))
            {
                _argumentNames[c.Name] = CsNames.Unique(CsNames.Pascal(c.Name) + "Arguments", taken);
            }
        }
        return eventNames;
    }

    // ---- types ----

    private TypeRef Ref(QapiSchemaType type)
    {
        switch (type)
        {
            case QapiSchemaBuiltinType b:
                return b.Name switch
                {
                    "str" => new TypeRef(TypeKind.Str, "string", b.Name, null),
                    "number" => new TypeRef(TypeKind.Number, "double", b.Name, null),
                    "int" => new TypeRef(TypeKind.Int, "long", b.Name, null),
                    "int8" => new TypeRef(TypeKind.Int8, "sbyte", b.Name, null),
                    "int16" => new TypeRef(TypeKind.Int16, "short", b.Name, null),
                    "int32" => new TypeRef(TypeKind.Int32, "int", b.Name, null),
                    "int64" => new TypeRef(TypeKind.Int64, "long", b.Name, null),
                    "uint8" => new TypeRef(TypeKind.UInt8, "byte", b.Name, null),
                    "uint16" => new TypeRef(TypeKind.UInt16, "ushort", b.Name, null),
                    "uint32" => new TypeRef(TypeKind.UInt32, "uint", b.Name, null),
                    "uint64" => new TypeRef(TypeKind.UInt64, "ulong", b.Name, null),
                    "size" => new TypeRef(TypeKind.Size, "ulong", b.Name, null),
                    "bool" => new TypeRef(TypeKind.Bool, "bool", b.Name, null),
                    "null" => new TypeRef(TypeKind.Null, Qualified("QapiNull"), b.Name, null),
                    "any" => new TypeRef(TypeKind.Any, "global::System.Text.Json.JsonElement", b.Name, null),
                    _ => throw new CodeGenException(null, $"unsupported built-in type '{b.Name}'"),
                };
            case QapiSchemaEnumType e:
                if (e.IsImplicit)
                {
                    _referencedImplicitEnums.Add(e.Name);
                }

                return new TypeRef(TypeKind.Enum, Qualified(_typeNames[e.Name]), e.Name, null, _typeNames[e.Name]);
            case QapiSchemaArrayType a:
                TypeRef element = Ref(a.ElementType);
                return new TypeRef(TypeKind.Array, "global::System.Collections.Generic.IReadOnlyList<" + element.CsName + ">", a.Name, element);
            case QapiSchemaAlternateType alt:
                return new TypeRef(TypeKind.Alternate, Qualified(_typeNames[alt.Name]), alt.Name, null, _typeNames[alt.Name]);
            case QapiSchemaObjectType o when !o.IsImplicit:
                return new TypeRef(o.IsUnion ? TypeKind.Union : TypeKind.Struct, Qualified(_typeNames[o.Name]), o.Name, null, _typeNames[o.Name]);
            default:
                throw new CodeGenException(type.Info, $"{type.Describe()} cannot be referenced from C#");
        }
    }

    private string Qualified(string name) => "global::" + _ns + "." + name;

    private EnumSpec BuildEnum(QapiSchemaEnumType e)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { _typeNames[e.Name] };
        var values = e.Members.Select(m =>
        {
            bool lacks = _baseline != null && _baseline.LacksEnumValue(e.Name, m.Name);
            return new EnumValueSpec(
                m.Name, CsNames.Unique(CsNames.Pascal(m.Name), taken), Cond(m.IfCond),
                m.Features.Any(f => f.IsDeprecated), m.Features.Any(f => f.IsUnstable),
                AppendDoc(MemberDoc(e.Doc, m.Name), lacks ? BaselineLine(false) : null), lacks ? _baseline!.Name : null);
        }).ToEquatableArray();
        return new EnumSpec(e.Name, _typeNames[e.Name], Cond(e.IfCond), TypeDoc(e.Doc), values);
    }

    private StructSpec BuildStruct(QapiSchemaObjectType s)
    {
        string cs = _typeNames[s.Name];
        // Property names are unique along the inheritance chain: start from the base's.
        var taken = new HashSet<string>(ObjectMembers, StringComparer.Ordinal) { cs };
        List<MemberSpec> all = Members(s.Members, taken, null);
        var local = all.Skip(s.Members.Count - s.LocalMembers.Count).ToEquatableArray();
        return new StructSpec(s.Name, cs, Cond(s.IfCond), TypeDoc(s.Doc), s.Base != null ? _typeNames[s.Base.Name] : null,
            local, all.ToEquatableArray(), _baseStructs.Contains(s.Name));
    }

    /// <param name="keepMandatory">A member a baseline must not make optional (a union's tag).</param>
    private List<MemberSpec> Members(IEnumerable<QapiSchemaObjectTypeMember> members, HashSet<string> takenProps, HashSet<string>? takenParams,
        string? keepMandatory = null)
    {
        var list = new List<MemberSpec>();
        foreach (QapiSchemaObjectTypeMember m in members)
        {
            string param = takenParams != null ? CsNames.Unique(CsNames.Camel(m.Name), takenParams) : CsNames.Camel(m.Name);
            (bool lacksOutput, bool lacksInput) = _baseline?.LacksMember(m.DefinedIn, m.Name) ?? (false, false);
            bool madeOptional = lacksOutput && !m.Optional && m.Name != keepMandatory;
            list.Add(new MemberSpec(m.Name, CsNames.Unique(CsNames.Pascal(m.Name), takenProps), param, Ref(m.Type), m.Optional || madeOptional,
                Cond(m.IfCond), m.Features.Any(f => f.IsDeprecated), m.Features.Any(f => f.IsUnstable),
                AppendDoc(DocOfMember(m), lacksOutput || lacksInput ? BaselineLine(madeOptional) : null),
                lacksOutput || lacksInput ? _baseline!.Name : null));
        }
        return list;
    }

    private UnionSpec BuildUnion(QapiSchemaObjectType u)
    {
        string cs = _typeNames[u.Name];
        QapiSchemaVariants variants = u.Variants!;
        QapiSchemaObjectTypeMember tag = variants.TagMember;
        var tagEnum = (QapiSchemaEnumType)tag.Type;
        var tagValues = tagEnum.Members.ToDictionary(m => m.Name, m => m, StringComparer.Ordinal);
        Dictionary<string, string> tagCs = BuildEnumNames(tagEnum);

        // Branch classes are nested, so their names must not collide with any property of the union
        // (inherited by every branch) nor with the union's own name: then all get a "Branch" suffix.
        var baseTaken = new HashSet<string>(ObjectMembers, StringComparer.Ordinal) { cs };
        List<MemberSpec> baseMembers = Members(u.Members, baseTaken, null, tag.Name);
        var branchMembers = new List<List<MemberSpec>>();
        var unionBranches = new List<(TypeRef, string)?>();
        foreach (QapiSchemaVariant v in variants.Variants)
        {
            if (v.Type is not QapiSchemaObjectType bt)
            {
                throw new CodeGenException(u.Info, $"branch '{v.Name}' of union '{u.Name}' is not an object type");
            }

            var taken = new HashSet<string>(baseTaken, StringComparer.Ordinal);
            if (bt.IsUnion)
            {
                unionBranches.Add((Ref(bt), CsNames.Unique("Value", taken)));
                branchMembers.Add(new List<MemberSpec>());
                continue;
            }
            unionBranches.Add(null);
            branchMembers.Add(Members(bt.Members, taken, null));
        }
        var classNames = variants.Variants.Select(v => CsNames.Pascal(v.Name)).ToList();
        var allProps = new HashSet<string>(baseMembers.Select(m => m.CsName).Concat(branchMembers.SelectMany(b => b.Select(m => m.CsName)))
            .Concat(unionBranches.Where(b => b != null).Select(b => b!.Value.Item2)), StringComparer.Ordinal) { cs };
        bool suffix = classNames.Any(allProps.Contains) || classNames.Distinct(StringComparer.Ordinal).Count() != classNames.Count;
        var classTaken = new HashSet<string>(allProps, StringComparer.Ordinal);
        var branches = new List<UnionBranchSpec>();
        for (int i = 0; i < variants.Variants.Count; i++)
        {
            QapiSchemaVariant v = variants.Variants[i];
            string className = CsNames.Unique(suffix ? classNames[i] + "Branch" : classNames[i], classTaken);
            QapiSchemaEnumMember tagValue = tagValues[v.Name];
            branches.Add(new UnionBranchSpec(v.Name, tagCs[v.Name], className, CondSpec.And(Cond(tagValue.IfCond), Cond(v.IfCond)),
                branchMembers[i].ToEquatableArray(), unionBranches[i]?.Item1, unionBranches[i]?.Item2));
        }
        // The class of a tag value the schema lacks (read from a newer server): a name no branch took.
        string unknown = CsNames.Unique("Unknown", classTaken);
        return new UnionSpec(u.Name, cs, Cond(u.IfCond), TypeDoc(u.Doc), baseMembers.ToEquatableArray(), tag.Name, branches.ToEquatableArray(), unknown);
    }

    // The C# names of an enum's values, as BuildEnum assigns them.
    private Dictionary<string, string> BuildEnumNames(QapiSchemaEnumType e)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { _typeNames[e.Name] };
        return e.Members.ToDictionary(m => m.Name, m => CsNames.Unique(CsNames.Pascal(m.Name), taken), StringComparer.Ordinal);
    }

    private AlternateSpec BuildAlternate(QapiSchemaAlternateType a)
    {
        string cs = _typeNames[a.Name];
        var names = a.Variants.Variants.Select(v => CsNames.Pascal(v.Name)).ToList();
        bool suffix = names.Contains("Value") || names.Contains(cs) || names.Distinct(StringComparer.Ordinal).Count() != names.Count;
        var taken = new HashSet<string>(StringComparer.Ordinal) { cs, "Value" };
        var branches = a.Variants.Variants.Select((v, i) => new AlternateBranchSpec(
            v.Name, CsNames.Unique(suffix ? names[i] + "Branch" : names[i], taken), Ref(v.Type), Cond(v.IfCond),
            MemberDoc(a.Doc, v.Name))).ToEquatableArray();
        return new AlternateSpec(a.Name, cs, Cond(a.IfCond), TypeDoc(a.Doc), branches);
    }

    // ---- commands and events ----

    /// <summary>
    /// Whether a command gets an argument record: every command whose arguments the dispatcher reads member by
    /// member, those without arguments too, since a command may gain an optional argument later. A boxed
    /// command's handler already takes one object, and a 'gen': false one the raw JSON.
    /// </summary>
    private static bool HasArgumentRecord(QapiSchemaCommand c) =>
        c.Gen && !c.Boxed && c.Name is not ("qmp_capabilities" or "query-qmp-schema");

    private CommandSpec BuildCommand(QapiSchemaCommand c, bool takesFds)
    {
        EquatableArray<MemberSpec> args = EquatableArray<MemberSpec>.Empty;
        TypeRef? boxed = null;
        _argumentNames.TryGetValue(c.Name, out string? record);
        if (c.ArgType != null)
        {
            if (c.Boxed)
            {
                boxed = Ref(c.ArgType);
            }
            else
            {
                // Property names as a record's (they are the argument record's properties); parameter names
                // clear of the handler's and the client's own parameters.
                var props = new HashSet<string>(ObjectMembers, StringComparer.Ordinal);
                if (record != null)
                {
                    props.Add(record);
                }

                args = Members(c.ArgType.Members, props,
                    new HashSet<string>(StringComparer.Ordinal) { "context", "cancellationToken", "fds", "arguments", "result" }).ToEquatableArray();
            }
        }
        TypeRef? returns = c.RetType != null ? Ref(c.RetType) : null;
        bool lacks = _baseline != null && _baseline.LacksCommand(c.Name);
        string? doc = TypeDoc(c.Doc);
        if (lacks)
        {
            doc = AppendRemarks(doc, BaselineLine(false));
        }
        else if (args.Any(a => a.NotInBaseline != null))
        {
            doc = AppendRemarks(doc, $"<para>Arguments not in baseline {Xml(_baseline!.Name)}: " +
                string.Join(", ", args.Where(a => a.NotInBaseline != null).Select(a => "<c>" + a.Wire + "</c>")) + "; servers as old as the baseline refuse them.</para>");
        }

        return new CommandSpec(c.Name, CsNames.Pascal(c.Name), Cond(c.IfCond), doc, args, c.Boxed, boxed, returns,
            SectionText(c.Doc, "Returns"), c.Gen, c.SuccessResponse, c.AllowOob, c.AllowPreconfig, c.Coroutine,
            c.IsDeprecated, c.IsUnstable, lacks ? _baseline!.Name : null, record, takesFds);
    }

    private EventSpec BuildEvent(QapiSchemaEvent e, string className)
    {
        EquatableArray<MemberSpec> members = EquatableArray<MemberSpec>.Empty;
        TypeRef? boxed = null;
        if (e.ArgType != null)
        {
            if (e.Boxed)
            {
                boxed = Ref(e.ArgType);
            }
            else
            {
                members = Members(e.ArgType.Members,
                    new HashSet<string>(ObjectMembers, StringComparer.Ordinal) { className, "EventName", "HasData", "WriteData", "Timestamp" },
                    new HashSet<string>(StringComparer.Ordinal) { "hub", "context", "session" }).ToEquatableArray();
            }
        }
        bool lacks = _baseline != null && _baseline.LacksEvent(e.Name);
        return new EventSpec(e.Name, CsNames.Pascal(e.Name), className, Cond(e.IfCond),
            lacks ? AppendRemarks(TypeDoc(e.Doc), BaselineLine(false)) : TypeDoc(e.Doc), members, e.Boxed, boxed,
            e.IsDeprecated, e.IsUnstable, lacks ? _baseline!.Name : null);
    }

    // ---- conditions ----

    public static CondSpec? Cond(QapiSchemaIfCond ifcond) => ifcond.Expr == null ? null : Cond(ifcond.Expr);

    private static CondSpec Cond(QapiIfExpr e) => e.Kind switch
    {
        QapiIfKind.Name => CondSpec.Name(e.Name!),
        QapiIfKind.Not => new CondSpec("not", null, new EquatableArray<CondSpec>(new[] { Cond(e.Operands[0]) })),
        QapiIfKind.All => new CondSpec("all", null, e.Operands.Select(Cond).ToEquatableArray()),
        _ => new CondSpec("any", null, e.Operands.Select(Cond).ToEquatableArray()),
    };

    // ---- documentation ----

    private static readonly Regex AtRef = new(@"@([A-Za-z0-9_.\-]*[A-Za-z0-9_])", RegexOptions.CultureInvariant);

    /// <summary>
    /// Doc text made safe for XML documentation: escaped, <c>@name</c> as <c>&lt;c&gt;name&lt;/c&gt;</c>,
    /// and rST literal blocks (the indented lines after a paragraph ending in <c>::</c>, a lone
    /// <c>::</c>, or a <c>.. code-block::</c> directive) as <c>&lt;code&gt;</c> blocks, kept verbatim.
    /// </summary>
    public static string? Xml(string? text)
    {
        if (text == null)
        {
            return null;
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        string[] lines = text.Split('\n');
        var sb = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.Trim();
            bool directive = trimmed.StartsWith(".. code-block::", StringComparison.Ordinal) || trimmed.StartsWith(".. code::", StringComparison.Ordinal);
            int block = directive || trimmed.EndsWith("::", StringComparison.Ordinal) ? LiteralBlockEnd(lines, i, Indent(line)) : i;
            if (block == i)
            {
                Append(sb, AtRef.Replace(Escape(line), "<c>$1</c>"));
                continue;
            }
            if (!directive && trimmed != "::")
            {
                Append(sb, AtRef.Replace(Escape(line.TrimEnd().Substring(0, line.TrimEnd().Length - 1)), "<c>$1</c>"));
            }

            var body = lines.Skip(i + 1).Take(block - i).SkipWhile(l => l.Trim().Length == 0).ToList();
            while (body.Count > 0 && body[body.Count - 1].Trim().Length == 0)
            {
                body.RemoveAt(body.Count - 1);
            }

            int indent = body.Where(l => l.Trim().Length > 0).Min(Indent);
            Append(sb, "<code>");
            foreach (string? b in body)
            {
                Append(sb, Escape(b.Length >= indent ? b.Substring(indent) : b.TrimStart()));
            }

            Append(sb, "</code>");
            i = block;
        }
        return sb.ToString();

        static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        static void Append(StringBuilder sb, string line) => (sb.Length > 0 ? sb.Append('\n') : sb).Append(line);
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    /// <summary>
    /// The index of the last line of the literal block introduced at <paramref name="start"/> (blank
    /// lines, then lines indented deeper than <paramref name="indent"/>), or <paramref name="start"/>
    /// when no indented line follows.
    /// </summary>
    private static int LiteralBlockEnd(string[] lines, int start, int indent)
    {
        int end = start;
        for (int j = start + 1; j < lines.Length; j++)
        {
            if (lines[j].Trim().Length == 0)
            {
                continue;
            }

            if (Indent(lines[j]) <= indent)
            {
                break;
            }

            end = j;
        }
        return end;
    }

    private static string? TypeDoc(QapiDoc? doc)
    {
        if (doc == null)
        {
            return null;
        }

        var sb = new StringBuilder();
        string? body = Xml(doc.Body.Text);
        if (body != null)
        {
            sb.Append("<summary>\n").Append(body).Append("\n</summary>");
        }

        foreach (QapiDoc.Section section in doc.Sections)
        {
            if (section.Name is null or "TODO" or "Returns")
            {
                continue;
            }

            string? text = section.Name.StartsWith("Example", StringComparison.Ordinal)
                ? section.Text.Trim().Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")
                : Xml(section.Text);
            if (text == null)
            {
                continue;
            }

            if (section.Name.StartsWith("Example", StringComparison.Ordinal))
            {
                sb.Append(sb.Length > 0 ? "\n" : "").Append("<example>\n<code>\n").Append(text).Append("\n</code>\n</example>");
            }
            else
            {
                sb.Append(sb.Length > 0 ? "\n" : "").Append("<remarks>\n").Append(section.Name).Append(": ").Append(text).Append("\n</remarks>");
            }
        }
        return sb.Length > 0 ? sb.ToString() : null;
    }

    private static string? SectionText(QapiDoc? doc, string name)
        => doc?.Sections.Where(s => s.Name == name).Select(s => Xml(s.Text)).FirstOrDefault(t => t != null);

    // A member's doc is made for each type that has the member: the bases' members for each derived
    // struct and union branch again. The XML is a function of the text, made once per text.
    private string? MemberDoc(QapiDoc? doc, string name)
    {
        if (doc?.Arg(name) is not { } arg)
        {
            return null;
        }

        string text = arg.Text;
        if (!_memberXml.TryGetValue(text, out string? xml))
        {
            xml = Xml(text);
            _memberXml.Add(text, xml);
        }
        return xml;
    }

    // A member's description lives in the doc of the definition that declares it; implicit
    // argument and base types are documented by their command, event or union.
    private string? DocOfMember(QapiSchemaObjectTypeMember m)
    {
        string? definedIn = m.DefinedIn;
        if (definedIn == null)
        {
            return null;
        }

        QapiSchemaEntity? entity = _schema.LookupEntity(definedIn);
        QapiDoc? doc = entity?.Doc;
        if (doc == null && definedIn.StartsWith("q_obj_", StringComparison.Ordinal))
        {
            string owner = definedIn.Substring(6);
            int dash = owner.LastIndexOf('-');
            if (dash > 0)
            {
                doc = _schema.LookupEntity(owner.Substring(0, dash))?.Doc;
            }
        }
        return MemberDoc(doc, m.Name);
    }
}
