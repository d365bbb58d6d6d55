using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>
/// A checked, resolved schema (QEMU's <c>QAPISchema</c>): every entity in definition order,
/// including the built-in types and the implicit types the front end creates, grouped into
/// modules (one per schema file), plus the doc comments in source order.
/// </summary>
public sealed class QapiSchema
{
    private readonly List<QapiSchemaEntity> _entityList;
    private readonly Dictionary<string, QapiSchemaEntity> _entityDict;
    private readonly List<QapiSchemaModule> _modules = new();
    private readonly Dictionary<string, QapiSchemaModule> _moduleDict = new(StringComparer.Ordinal);
    private readonly string _schemaDir;
    private readonly Dictionary<string, string> _moduleNames = new(StringComparer.Ordinal);
    private readonly ISchemaFileSystem _fs;
    private readonly QapiSchemaOptions _options;
    private bool _predefining;

    /// <summary>Branch types being checked inside one another (see <see cref="QapiSchemaObjectType.MaxUnionNesting"/>).</summary>
    internal int OpenBranchChecks;

    private QapiSchema(string fileName, IReadOnlyList<QapiDoc> docs, ISchemaFileSystem fs, QapiSchemaOptions options, int entities)
    {
        // Sized once for the entities expected: grown step by step, the table and list were made
        // nine times over (QEMU's schema: 1,900 entities), fresh memory a short-lived process pays for.
        _entityList = new List<QapiSchemaEntity>(entities);
        _entityDict = new Dictionary<string, QapiSchemaEntity>(entities, StringComparer.Ordinal);
        FileName = fileName;
        Docs = docs;
        _fs = fs;
        _options = options;
        _schemaDir = QapiSchemaParser.PathDirName(fileName);
        MakeModule(QapiSchemaModule.BuiltinModuleName);
        MakeModule(fileName);
        _predefining = true;
        TheEmptyObjectType = DefPredefineds();
        _predefining = false;
    }

    /// <summary>
    /// Reads <paramref name="fileName"/> and what it includes, checks the expressions, builds the
    /// model and checks it. File names are resolved by <paramref name="fileSystem"/> (the disk by default).
    /// </summary>
    /// <exception cref="QapiError">the first error, rendered by <c>ToString()</c> exactly as the reference does.</exception>
    public static QapiSchema Load(string fileName, ISchemaFileSystem? fileSystem = null, QapiSchemaOptions? options = null)
    {
        ISchemaFileSystem fs = fileSystem ?? SchemaFileSystem.Disk;
        options ??= new QapiSchemaOptions();
        QapiSchemaParser parser;
        try
        {
            parser = QapiSchemaParser.Parse(fileName, fs, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QapiFileError($"can't read schema file '{fileName}': {SchemaFileSystem.Describe(e)}");
        }
        options.StageEnded?.Invoke("parse");
        if (!options.Lenient)
        {
            List<QapiExpression> exprs = ExprChecker.CheckExprs(parser.Exprs, options);
            options.StageEnded?.Invoke("check expressions");
            return Build(fileName, exprs, parser.Docs, fs, options);
        }

        // The older language is rewritten into the current one first, so the checks stay the current ones.
        LegacyNormalizer.Result rewritten = LegacyNormalizer.Normalize(parser.Exprs);
        ExprChecker.CheckExprs(rewritten.ToCheck, options);
        options.StageEnded?.Invoke("check expressions");
        return Build(fileName, rewritten.All, parser.Docs, fs, options);
    }

    /// <summary>Builds and checks the model from expressions already checked by <see cref="ExprChecker"/>.</summary>
    public static QapiSchema Build(string fileName, IEnumerable<QapiExpression> exprs, IReadOnlyList<QapiDoc> docs,
        ISchemaFileSystem? fileSystem = null, QapiSchemaOptions? options = null)
    {
        options ??= new QapiSchemaOptions();
        // About two entities a definition: its implicit argument or branch types, its array types, the built-ins.
        int entities = exprs is ICollection<QapiExpression> collection ? collection.Count * 2 + 64 : 0;
        var schema = new QapiSchema(fileName, docs, fileSystem ?? SchemaFileSystem.Disk, options, entities);
        schema.DefExprs(exprs);
        options.StageEnded?.Invoke("model");
        schema.Check();
        options.StageEnded?.Invoke("check model");
        return schema;
    }

    /// <summary>The main schema file, as given.</summary>
    public string FileName { get; }

    /// <summary>Every doc comment, in source order.</summary>
    public IReadOnlyList<QapiDoc> Docs { get; }

    /// <summary>Every entity in definition order: built-ins first, then the schema's (with implicit types
    /// right before their first user), include directives included.</summary>
    public IReadOnlyList<QapiSchemaEntity> Entities => _entityList;

    /// <summary>The modules: <c>./builtin</c>, the main file, then included files in order of first inclusion.</summary>
    public IReadOnlyList<QapiSchemaModule> Modules => _modules;

    /// <summary>The predefined empty object type <c>q_empty</c>.</summary>
    public QapiSchemaObjectType TheEmptyObjectType { get; }

    /// <summary>Warnings collected under lenient options.</summary>
    public IReadOnlyList<QapiError> Warnings => _options.Warnings;

    public IEnumerable<QapiSchemaType> Types => _entityList.OfType<QapiSchemaType>();
    public IEnumerable<QapiSchemaCommand> Commands => _entityList.OfType<QapiSchemaCommand>();
    public IEnumerable<QapiSchemaEvent> Events => _entityList.OfType<QapiSchemaEvent>();

    /// <summary>The entity named <paramref name="name"/>, or null.</summary>
    public QapiSchemaEntity? LookupEntity(string name)
        => _entityDict.TryGetValue(name, out QapiSchemaEntity? ent) ? ent : null;

    /// <summary>The entity named <paramref name="name"/> if it is a <typeparamref name="T"/>, or null.</summary>
    public T? LookupEntity<T>(string name) where T : QapiSchemaEntity
        => LookupEntity(name) as T;

    /// <summary>The type named <paramref name="name"/>, or null.</summary>
    public QapiSchemaType? LookupType(string name) => LookupEntity<QapiSchemaType>(name);

    /// <summary>The module of schema file <paramref name="fileName"/> (as the parser recorded it).</summary>
    public QapiSchemaModule ModuleByFileName(string fileName) => _moduleDict[ModuleName(fileName)];

    /// <summary>Visits every module and its entities in order.</summary>
    public void Visit(IQapiSchemaVisitor visitor)
    {
        visitor.VisitBegin(this);
        foreach (QapiSchemaModule module in _modules)
        {
            module.Visit(visitor);
        }

        visitor.VisitEnd();
    }

    internal QapiSchemaType ResolveType(string name, QapiSourceInfo? info, string? what)
        => LookupType(name) ?? throw new QapiSemError(info, $"{what ?? "None"} uses unknown type '{name}'");

    /// <summary>Runs a doc-comment operation, downgrading its error to a warning under lenient options.</summary>
    internal void DocOp(Action op)
    {
        try
        {
            op();
        }
        catch (QapiSemError e) when (_options.LenientDocs || _options.Lenient)
        {
            _options.ReportDocError(e);
        }
    }

    /// <summary>
    /// <see cref="DocOp(Action)"/> for an operation on <paramref name="state"/>: with a static
    /// <paramref name="op"/>, nothing is allocated (it runs for every member of every documented definition).
    /// </summary>
    internal void DocOp<TState>(TState state, Action<TState> op)
    {
        try
        {
            op(state);
        }
        catch (QapiSemError e) when (_options.LenientDocs || _options.Lenient)
        {
            _options.ReportDocError(e);
        }
    }

    private void DefEntity(QapiSchemaEntity ent)
    {
        if (ent.Info == null && !_predefining)
        {
            throw new InvalidOperationException("only predefined entities may lack source info");
        }

        _entityList.Add(ent);
        if (ent.Name == null)
        {
            return;
        }

        if (_entityDict.TryGetValue(ent.Name, out QapiSchemaEntity? other))
        {
            if (other.Info != null)
            {
                var where = new QapiSemError(other.Info, "previous definition");
                throw new QapiSemError(ent.Info, $"'{ent.Name}' is already defined\n{where}");
            }
            throw new QapiSemError(ent.Info, $"{other.Describe()} is already defined");
        }
        _entityDict[ent.Name] = ent;
    }

    private string ModuleName(string fileName)
    {
        if (QapiSchemaModule.IsSystemModule(fileName))
        {
            return fileName;
        }

        if (!_moduleNames.TryGetValue(fileName, out string? name))
        {
            name = RelPath(fileName, _schemaDir);
            _moduleNames[fileName] = name;
        }
        return name;
    }

    private QapiSchemaModule MakeModule(string fileName)
    {
        string name = ModuleName(fileName);
        if (!_moduleDict.TryGetValue(name, out QapiSchemaModule? module))
        {
            module = new QapiSchemaModule(name);
            _moduleDict[name] = module;
            _modules.Add(module);
        }
        return module;
    }

    // Python's os.path.relpath(path, start): lexical, relative to the working directory.
    private string RelPath(string path, string start)
    {
        path = path.Replace('\\', '/');
        start = start.Replace('\\', '/');
        bool pathAbs = path.StartsWith("/", StringComparison.Ordinal);
        bool startAbs = start.StartsWith("/", StringComparison.Ordinal);
        List<string> p, s;
        if (pathAbs == startAbs)
        {
            // Both relative to the same (unknown) working directory, or both absolute.
            p = Normalize(path);
            s = Normalize(start);
        }
        else
        {
            p = Normalize(_fs.GetFullPath(path).Replace('\\', '/'));
            s = Normalize(_fs.GetFullPath(start.Length == 0 ? "." : start).Replace('\\', '/'));
        }
        int common = 0;
        while (common < p.Count && common < s.Count && p[common] == s[common])
        {
            common++;
        }

        var parts = Enumerable.Repeat("..", s.Count - common).Concat(p.Skip(common)).ToList();
        return parts.Count == 0 ? "." : string.Join("/", parts);
    }

    // Components of a path below a virtual root; leading '..' of relative paths climb into a
    // deep placeholder working directory so they survive comparison.
    private static List<string> Normalize(string path)
    {
        var parts = new List<string>();
        if (!path.StartsWith("/", StringComparison.Ordinal))
        {
            for (int i = 0; i < 256; i++)
            {
                parts.Add("\0");
            }
        }
        foreach (string? part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else
            {
                parts.Add(part);
            }
        }
        return parts;
    }

    private void DefInclude(QapiExpression expr)
    {
        string include = (string)expr["include"];
        DefEntity(new QapiSchemaInclude(MakeModule(include), expr.Info));
    }

    private void DefBuiltinType(string name, string jsonType, string cType)
    {
        DefEntity(new QapiSchemaBuiltinType(name, jsonType, cType));
        // All built-in arrays exist, used or not, as in the reference.
        MakeArrayType(name, null);
    }

    private QapiSchemaObjectType DefPredefineds()
    {
        string ptr = QapiNaming.PointerSuffix;
        DefBuiltinType("str", "string", "char" + ptr);
        DefBuiltinType("number", "number", "double");
        DefBuiltinType("int", "int", "int64_t");
        DefBuiltinType("int8", "int", "int8_t");
        DefBuiltinType("int16", "int", "int16_t");
        DefBuiltinType("int32", "int", "int32_t");
        DefBuiltinType("int64", "int", "int64_t");
        DefBuiltinType("uint8", "int", "uint8_t");
        DefBuiltinType("uint16", "int", "uint16_t");
        DefBuiltinType("uint32", "int", "uint32_t");
        DefBuiltinType("uint64", "int", "uint64_t");
        DefBuiltinType("size", "int", "uint64_t");
        DefBuiltinType("bool", "boolean", "bool");
        DefBuiltinType("any", "value", "QObject" + ptr);
        DefBuiltinType("null", "null", "QNull" + ptr);

        var empty = new QapiSchemaObjectType("q_empty", null, null, null, null, null,
            Array.Empty<QapiSchemaObjectTypeMember>(), null);
        DefEntity(empty);

        string[] qtypes = new[] { "none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool" };
        var qtypeValues = qtypes.Select(n => new QapiSchemaEnumMember(n, null)).ToList();
        DefEntity(new QapiSchemaEnumType("QType", null, null, null, null, qtypeValues, "QTYPE"));
        return empty;
    }

    // Most definitions and members have no features: they share one empty list.
    private static IReadOnlyList<QapiSchemaFeature> MakeFeatures(object? features, QapiSourceInfo? info)
    {
        if (features is not List<object> { Count: > 0 } list)
        {
            return Array.Empty<QapiSchemaFeature>();
        }

        var result = new List<QapiSchemaFeature>(list.Count);
        foreach (QDict f in list)
        {
            result.Add(new QapiSchemaFeature((string)f["name"], info, QapiSchemaIfCond.FromSchemaValue(f.Get("if"))));
        }

        return result;
    }

    private static List<QapiSchemaEnumMember> MakeEnumMembers(List<object> values, QapiSourceInfo? info)
    {
        var result = new List<QapiSchemaEnumMember>(values.Count);
        foreach (QDict v in values)
        {
            result.Add(new QapiSchemaEnumMember((string)v["name"], info,
                QapiSchemaIfCond.FromSchemaValue(v.Get("if")), MakeFeatures(v.Get("features"), info)));
        }
        return result;
    }

    private string MakeArrayType(string elementType, QapiSourceInfo? info)
    {
        string name = elementType + "List"; // reserved by the naming rules
        if (LookupType(name) == null)
        {
            DefEntity(new QapiSchemaArrayType(name, info, elementType));
        }

        return name;
    }

    private string? MakeImplicitObjectType(string name, QapiSourceInfo info, QapiSchemaIfCond ifcond,
        string role, List<QapiSchemaObjectTypeMember> members)
    {
        if (members.Count == 0)
        {
            return null;
        }
        // See also QapiSchemaMember.Describe()
        name = $"q_obj_{name}-{role}";
        // When the type exists already, it has multiple users: that can only be a duplicate
        // definition, which is reported later.
        if (LookupEntity<QapiSchemaObjectType>(name) == null)
        {
            DefEntity(new QapiSchemaObjectType(name, info, null, ifcond, null, null, members, null));
        }

        return name;
    }

    private void DefEnumType(QapiExpression expr)
    {
        string name = (string)expr["enum"];
        QapiSourceInfo info = expr.Info;
        DefEntity(new QapiSchemaEnumType(name, info, expr.Doc, QapiSchemaIfCond.FromSchemaValue(expr.Get("if")),
            MakeFeatures(expr.Get("features"), info), MakeEnumMembers((List<object>)expr["data"], info),
            expr.Get("prefix") as string));
    }

    private QapiSchemaObjectTypeMember MakeMember(string name, object type, QapiSchemaIfCond ifcond,
        object? features, QapiSourceInfo info)
    {
        bool optional = false;
        if (name.StartsWith("*", StringComparison.Ordinal))
        {
            name = name.Substring(1);
            optional = true;
        }
        string typeName = type is List<object> list ? MakeArrayType((string)list[0], info) : (string)type;
        return new QapiSchemaObjectTypeMember(name, info, typeName, optional, ifcond, MakeFeatures(features, info));
    }

    private List<QapiSchemaObjectTypeMember> MakeMembers(QDict data, QapiSourceInfo info)
    {
        var result = new List<QapiSchemaObjectTypeMember>(data.Count);
        foreach (KeyValuePair<string, object> kv in data)
        {
            var value = (QDict)kv.Value;
            result.Add(MakeMember(kv.Key, value["type"], QapiSchemaIfCond.FromSchemaValue(value.Get("if")),
                value.Get("features"), info));
        }
        return result;
    }

    private void DefStructType(QapiExpression expr)
    {
        string name = (string)expr["struct"];
        QapiSourceInfo info = expr.Info;
        List<QapiSchemaObjectTypeMember> members = MakeMembers((QDict)expr["data"], info);
        // A simple union's wrapper (older language): its one member stands for the union's branch.
        if (expr.Get(LegacyNormalizer.WrapperOfKey) is string[] { Length: 2 } wrapperOf)
        {
            foreach (QapiSchemaObjectTypeMember m in members)
            {
                m.WrappedBranch = (wrapperOf[0], wrapperOf[1]);
            }
        }
        DefEntity(new QapiSchemaObjectType(name, info, expr.Doc, QapiSchemaIfCond.FromSchemaValue(expr.Get("if")),
            MakeFeatures(expr.Get("features"), info), expr.Get("base") as string, members, null));
    }

    private QapiSchemaVariant MakeVariant(string name, object type, QapiSchemaIfCond ifcond, QapiSourceInfo info)
    {
        string typeName = type is List<object> list ? MakeArrayType((string)list[0], info) : (string)type;
        return new QapiSchemaVariant(name, info, typeName, ifcond);
    }

    private List<QapiSchemaVariant> MakeVariants(QDict data, QapiSourceInfo info)
    {
        var result = new List<QapiSchemaVariant>(data.Count);
        foreach (KeyValuePair<string, object> kv in data)
        {
            var value = (QDict)kv.Value;
            result.Add(MakeVariant(kv.Key, value["type"], QapiSchemaIfCond.FromSchemaValue(value.Get("if")), info));
        }
        return result;
    }

    private void DefUnionType(QapiExpression expr)
    {
        string name = (string)expr["union"];
        object baseValue = expr["base"];
        string tagName = (string)expr["discriminator"];
        var data = (QDict)expr["data"];
        QapiSourceInfo info = expr.Info;
        var ifcond = QapiSchemaIfCond.FromSchemaValue(expr.Get("if"));
        IReadOnlyList<QapiSchemaFeature> features = MakeFeatures(expr.Get("features"), info);
        string? baseName = baseValue is QDict baseDict
            ? MakeImplicitObjectType(name, info, ifcond, "base", MakeMembers(baseDict, info))
            : (string)baseValue;
        List<QapiSchemaVariant> variants = MakeVariants(data, info);
        DefEntity(new QapiSchemaObjectType(name, info, expr.Doc, ifcond, features, baseName,
            Array.Empty<QapiSchemaObjectTypeMember>(),
            new QapiSchemaVariants(tagName, info, null, variants)));
    }

    private void DefAlternateType(QapiExpression expr)
    {
        string name = (string)expr["alternate"];
        var data = (QDict)expr["data"];
        QapiSourceInfo info = expr.Info;
        var ifcond = QapiSchemaIfCond.FromSchemaValue(expr.Get("if"));
        IReadOnlyList<QapiSchemaFeature> features = MakeFeatures(expr.Get("features"), info);
        List<QapiSchemaVariant> variants = MakeVariants(data, info);
        var tagMember = new QapiSchemaObjectTypeMember("type", info, "QType", false);
        DefEntity(new QapiSchemaAlternateType(name, info, expr.Doc, ifcond, features,
            new QapiSchemaVariants(null, info, tagMember, variants)));
    }

    private void DefCommand(QapiExpression expr)
    {
        string name = (string)expr["command"];
        object? data = expr.Get("data");
        object? rets = expr.Get("returns");
        QapiSourceInfo info = expr.Info;
        var ifcond = QapiSchemaIfCond.FromSchemaValue(expr.Get("if"));
        IReadOnlyList<QapiSchemaFeature> features = MakeFeatures(expr.Get("features"), info);
        string? argTypeName = MakeArgType(name, data, info, ifcond);
        string? retTypeName = rets is List<object> list ? MakeArrayType((string)list[0], info) : rets as string;
        DefEntity(new QapiSchemaCommand(name, info, expr.Doc, ifcond, features, argTypeName, retTypeName,
            Flag(expr, "gen", true), Flag(expr, "success-response", true), Flag(expr, "boxed", false),
            Flag(expr, "allow-oob", false), Flag(expr, "allow-preconfig", false), Flag(expr, "coroutine", false)));
    }

    /// <summary>A command's or event's 'data': a type name, or members that become <c>q_obj_NAME-arg</c>.</summary>
    private string? MakeArgType(string name, object? data, QapiSourceInfo info, QapiSchemaIfCond ifcond)
        => data is QDict dict ? MakeImplicitObjectType(name, info, ifcond, "arg", MakeMembers(dict, info)) : data as string;

    private void DefEvent(QapiExpression expr)
    {
        string name = (string)expr["event"];
        object? data = expr.Get("data");
        QapiSourceInfo info = expr.Info;
        var ifcond = QapiSchemaIfCond.FromSchemaValue(expr.Get("if"));
        IReadOnlyList<QapiSchemaFeature> features = MakeFeatures(expr.Get("features"), info);
        string? argTypeName = MakeArgType(name, data, info, ifcond);
        DefEntity(new QapiSchemaEvent(name, info, expr.Doc, ifcond, features, argTypeName, Flag(expr, "boxed", false)));
    }

    private static bool Flag(QapiExpression expr, string key, bool defaultValue)
        => expr.Get(key) is bool b ? b : defaultValue;

    private void DefExprs(IEnumerable<QapiExpression> exprs)
    {
        foreach (QapiExpression expr in exprs)
        {
            if (expr.ContainsKey("enum"))
            {
                DefEnumType(expr);
            }
            else if (expr.ContainsKey("struct"))
            {
                DefStructType(expr);
            }
            else if (expr.ContainsKey("union"))
            {
                DefUnionType(expr);
            }
            else if (expr.ContainsKey("alternate"))
            {
                DefAlternateType(expr);
            }
            else if (expr.ContainsKey("command"))
            {
                DefCommand(expr);
            }
            else if (expr.ContainsKey("event"))
            {
                DefEvent(expr);
            }
            else if (expr.ContainsKey("include"))
            {
                DefInclude(expr);
            }
            else
            {
                throw new InvalidOperationException("unchecked expression");
            }
        }
    }

    private void Check()
    {
        foreach (QapiSchemaEntity ent in _entityList)
        {
            ent.Check(this);
            ent.ConnectDoc(this);
            ent.CheckDoc(this);
        }
        foreach (QapiSchemaEntity ent in _entityList)
        {
            ent.SetModule(this);
        }
    }
}
