using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;
using QapiGen.Schema.Threading;

namespace QapiGen.Schema.Checking;

/// <summary>
/// Checks the shape of each top-level expression (keys, names, types of values, conditions,
/// features, flags) and normalises short forms in place, so the model builder can rely on them:
/// member values become <c>{'type': ...}</c>, enum values and features become <c>{'name': ...}</c>.
/// Error texts are the reference front end's, word for word.
/// </summary>
public static class ExprChecker
{
    private static readonly string[] Metas = { "enum", "struct", "union", "alternate", "command", "event" };

    /// <summary>The keys each kind of object has, required and optional.</summary>
    private static class Keys
    {
        public static readonly string[] Enum = { "enum", "data" };
        public static readonly string[] EnumOptional = { "if", "features", "prefix" };
        public static readonly string[] Union = { "union", "base", "discriminator", "data" };
        public static readonly string[] Alternate = { "alternate", "data" };
        public static readonly string[] Struct = { "struct", "data" };
        public static readonly string[] StructOptional = { "base", "if", "features" };
        public static readonly string[] Command = { "command" };
        public static readonly string[] CommandOptional =
            { "data", "returns", "boxed", "if", "features", "gen", "success-response", "allow-oob", "allow-preconfig", "coroutine" };
        public static readonly string[] Event = { "event" };
        public static readonly string[] EventOptional = { "data", "boxed", "if", "features" };
        public static readonly string[] Type = { "type" };
        public static readonly string[] Name = { "name" };
        public static readonly string[] If = { "if" };
        public static readonly string[] IfFeatures = { "if", "features" };
        public static readonly string[] IfOperators = { "all", "any", "not" };
        public static readonly string[] FalseFlags = { "gen", "success-response" };
        public static readonly string[] TrueFlags = { "boxed", "allow-oob", "allow-preconfig", "coroutine" };
    }

    /// <summary>Checks and normalises <paramref name="exprs"/>; throws the first <see cref="QapiSemError"/>.</summary>
    public static List<QapiExpression> CheckExprs(List<QapiExpression> exprs, QapiSchemaOptions? options = null)
        => CheckExprs(exprs, options, IncludeScheduler.DefaultWorkers > 0);

    /// <summary>Below this many expressions, handing half of them to another thread costs more than it saves.</summary>
    internal const int ParallelThreshold = 256;

    /// <remarks>
    /// Each expression is checked on its own (what they share, the pragmas, is final once parsed), so
    /// with <paramref name="parallel"/> the first half is checked on another thread while this one
    /// checks the second. The error reported is still the first in order: the first half's, if it has
    /// one. Only strictly: lenient checks record warnings, in order, in the options.
    /// </remarks>
    internal static List<QapiExpression> CheckExprs(List<QapiExpression> exprs, QapiSchemaOptions? options, bool parallel)
    {
        options ??= QapiSchemaOptions.Strict;
        int split = parallel && !(options.LenientDocs || options.Lenient) && exprs.Count >= ParallelThreshold
            ? Split(exprs)
            : 0;
        if (split == 0)
        {
            CheckRange(exprs, 0, exprs.Count, options);
            return exprs;
        }

        // The first half's error, if it has one, is the one reported (ParallelWork rethrows in list order).
        ParallelWork.Run(new Action[]
        {
            () => CheckRange(exprs, 0, split, options),
            () => CheckRange(exprs, split, exprs.Count, options),
        }, threads: 2);

        return exprs;
    }

    private static void CheckRange(List<QapiExpression> exprs, int start, int end, QapiSchemaOptions options)
    {
        for (int i = start; i < end; i++)
        {
            CheckExpr(exprs[i], options);
        }
    }

    // The middle, moved to where the location changes: expressions written on one line share their
    // location object, which a check writes to (the definition's name), so each half gets its own.
    private static int Split(List<QapiExpression> exprs)
    {
        for (int i = exprs.Count / 2; i < exprs.Count; i++)
        {
            if (exprs[i].Info != exprs[i - 1].Info)
            {
                return i;
            }
        }
        return 0;
    }

    private static void CheckExpr(QapiExpression expr, QapiSchemaOptions options)
    {
        QapiSourceInfo info = expr.Info;
        QapiDoc? doc = expr.Doc;
        if (expr.ContainsKey("include"))
        {
            return;
        }

        string? found = null;
        int metaCount = 0;
        foreach (string candidate in Metas)
        {
            if (expr.ContainsKey(candidate))
            {
                found = candidate;
                metaCount++;
            }
        }
        if (found == null || metaCount != 1)
        {
            throw new QapiSemError(info,
                "expression must have exactly one key 'enum', 'struct', 'union', 'alternate', 'command', 'event'");
        }

        string meta = found;

        Names.CheckIsStr(expr[meta], info, $"'{meta}'");
        string name = (string)expr[meta];
        info.SetDefn(meta, name);
        Names.CheckDefinitionName(name, info, meta);

        if (doc != null)
        {
            if (doc.Symbol != name)
            {
                options.ReportDocError(new QapiSemError(info, $"documentation comment is for '{doc.Symbol}'"));
            }
            else
            {
                doc.CheckExpr(expr, options);
            }
        }
        else if (info.Pragma.DocRequired)
        {
            options.ReportDocError(new QapiSemError(info, "documentation comment required"));
        }

        switch (meta)
        {
            case "enum":
                CheckKeys(expr.Expr, info, meta, Keys.Enum, Keys.EnumOptional);
                CheckEnum(expr);
                break;
            case "union":
                CheckKeys(expr.Expr, info, meta, Keys.Union, Keys.IfFeatures);
                NormalizeMembers(expr.Get("base"));
                NormalizeMembers(expr["data"]);
                CheckUnion(expr);
                break;
            case "alternate":
                CheckKeys(expr.Expr, info, meta, Keys.Alternate, Keys.IfFeatures);
                NormalizeMembers(expr["data"]);
                CheckAlternate(expr);
                break;
            case "struct":
                CheckKeys(expr.Expr, info, meta, Keys.Struct, Keys.StructOptional);
                NormalizeMembers(expr["data"]);
                CheckStruct(expr);
                break;
            case "command":
                CheckKeys(expr.Expr, info, meta, Keys.Command, Keys.CommandOptional);
                NormalizeMembers(expr.Get("data"));
                CheckCommand(expr);
                break;
            case "event":
                CheckKeys(expr.Expr, info, meta, Keys.Event, Keys.EventOptional);
                NormalizeMembers(expr.Get("data"));
                CheckEvent(expr);
                break;
        }

        CheckIf(expr.Expr, info, meta);
        CheckFeatures(expr.Get("features"), info);
        CheckFlags(expr);
    }

    /// <summary>Reports missing and unknown keys of an object, listing what is valid.</summary>
    internal static void CheckKeys(object value, QapiSourceInfo info, CheckSource source, string[] required, string[] optional)
    {
        // Callers only pass objects; a non-object here has been normalised into one.
        var dict = (QDict)value;
        // Runs for every definition, member and condition: lists are only built for the error.
        int present = 0;
        foreach (string key in required)
        {
            present += dict.ContainsKey(key) ? 1 : 0;
        }

        if (present < required.Length)
        {
            throw MissingKeys(dict, info, source, required);
        }
        if (dict.Count == required.Length)
        {
            return;
        }

        foreach (KeyValuePair<string, object> entry in dict)
        {
            if (System.Array.IndexOf(required, entry.Key) < 0 && System.Array.IndexOf(optional, entry.Key) < 0)
            {
                throw UnknownKeys(dict, info, source, required, optional);
            }
        }
    }

    // The errors are made in methods of their own: a lambda in CheckKeys that captures the object makes
    // the compiler allocate its closure on every call, errors or not (thousands per load of QEMU's schema).
    private static QapiSemError MissingKeys(QDict dict, QapiSourceInfo info, CheckSource source, string[] required)
    {
        var missing = required.Where(k => !dict.ContainsKey(k)).ToList();
        return new QapiSemError(info, $"{source} misses key{(missing.Count > 1 ? "s" : "")} {PPrint(missing)}");
    }

    private static QapiSemError UnknownKeys(QDict dict, QapiSourceInfo info, CheckSource source, string[] required, string[] optional)
    {
        var allowed = required.Concat(optional).ToList();
        var unknown = dict.Keys.Where(k => !allowed.Contains(k)).ToList();
        return new QapiSemError(info,
            $"{source} has unknown key{(unknown.Count > 1 ? "s" : "")} {PPrint(unknown)}\nValid keys are {PPrint(allowed)}.");
    }

    private static string PPrint(IEnumerable<string> elems)
        => string.Join(", ", elems.Distinct().OrderBy(e => e, System.StringComparer.Ordinal).Select(e => "'" + e + "'"));

    private static void CheckFlags(QapiExpression expr)
    {
        QapiSourceInfo info = expr.Info;
        foreach (string key in Keys.FalseFlags)
        {
            if (expr.ContainsKey(key) && !(expr[key] is false))
            {
                throw new QapiSemError(info, $"flag '{key}' may only use false value");
            }
        }
        foreach (string key in Keys.TrueFlags)
        {
            if (expr.ContainsKey(key) && !(expr[key] is true))
            {
                throw new QapiSemError(info, $"flag '{key}' may only use true value");
            }
        }
        if (expr.ContainsKey("allow-oob") && expr.ContainsKey("coroutine"))
        {
            // Not fundamentally incompatible, but without a use case the semantics are unclear.
            throw new QapiSemError(info, "flags 'allow-oob' and 'coroutine' are incompatible");
        }
    }

    /// <summary>Checks the 'if' key of <paramref name="expr"/>: an identifier or all/any/not of conditions.</summary>
    internal static void CheckIf(QDict expr, QapiSourceInfo info, CheckSource source)
    {
        object? ifcond = expr.Get("if");
        if (ifcond != null)
        {
            CheckIfCond(ifcond, info, source, 0);
        }
    }

    private static void CheckIfCond(object cond, QapiSourceInfo info, CheckSource source, int depth)
    {
        if (cond is string s)
        {
            if (!IsConditionIdentifier(s))
            {
                throw new QapiSemError(info, $"'if' condition '{s}' of {source} is not a valid identifier");
            }

            return;
        }
        if (cond is not QDict dict)
        {
            throw new QapiSemError(info, $"'if' condition of {source} must be a string or an object");
        }

        CheckKeys(dict, info, new CheckSource($"'if' condition of {source}"), System.Array.Empty<string>(), Keys.IfOperators);
        if (dict.Count != 1)
        {
            throw new QapiSemError(info, $"'if' condition of {source} has conflicting keys");
        }

        if (dict.TryGetValue("not", out object? not))
        {
            CheckIfCond(not, info, source, depth + 1);
        }
        else if (dict.TryGetValue("all", out object? all))
        {
            CheckInfix("all", all, info, source, depth);
        }
        else
        {
            CheckInfix("any", dict["any"], info, source, depth);
        }
    }

    private static void CheckInfix(string op, object operands, QapiSourceInfo info, CheckSource source, int depth)
    {
        if (operands is not List<object> list)
        {
            throw new QapiSemError(info, $"'{op}' condition of {source} must be an array");
        }

        if (list.Count == 0)
        {
            throw new QapiSemError(info, $"'if' condition [] of {source} is useless");
        }

        foreach (object operand in list)
        {
            CheckIfCond(operand, info, source, depth + 1);
        }
    }

    private static bool IsConditionIdentifier(string s)
    {
        if (s.Length == 0 || s[0] < 'A' || s[0] > 'Z')
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!(c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '_'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Turns the short form <c>'name': 'type'</c> into <c>'name': {'type': 'type'}</c>.</summary>
    private static void NormalizeMembers(object? members)
    {
        if (members is not QDict dict)
        {
            return;
        }

        IReadOnlyList<string> keys = dict.Keys;
        for (int i = 0; i < keys.Count; i++)
        {
            string key = keys[i];
            if (dict[key] is not QDict)
            {
                dict[key] = new QDict(1) { ["type"] = dict[key] };
            }
        }
    }

    private static void CheckTypeName(object? value, QapiSourceInfo info, CheckSource source)
    {
        if (value != null && value is not string)
        {
            throw new QapiSemError(info, $"{source} should be a type name");
        }
    }

    private static void CheckTypeNameOrArray(object? value, QapiSourceInfo info, CheckSource source)
    {
        if (value == null || value is string)
        {
            return;
        }

        if (value is not List<object> list)
        {
            throw new QapiSemError(info, $"{source} should be a type name or array");
        }

        if (list.Count != 1 || list[0] is not string)
        {
            throw new QapiSemError(info, $"{source}: array type must contain single type name");
        }
    }

    private static void CheckTypeImplicit(object? value, QapiSourceInfo info, string source, string? parentName)
    {
        if (value is not QDict members)
        {
            throw new QapiSemError(info, $"{source} should be an object or type name");
        }

        bool permissive = parentName != null && info.Pragma.MemberNameExceptions.Contains(parentName);
        // The sources of implicit types are literals: their member texts are too.
        string memberSource = source switch
        {
            "'data'" => "'data' member",
            "'base'" => "'base' member",
            _ => source + " member",
        };
        foreach (KeyValuePair<string, object> kv in members)
        {
            string key = kv.Key;
            var keySource = new CheckSource(memberSource, key);
            if (key.StartsWith("*", System.StringComparison.Ordinal))
            {
                key = key.Substring(1);
            }

            Names.CheckLower(key, info, keySource, permitUpper: permissive, permitUnderscore: permissive);
            // The C name is "u" only for "u"; neither test makes the C name.
            if (key == "u" || Names.CNameStartsWith(key, "has_"))
            {
                throw new QapiSemError(info, $"{keySource} uses reserved name");
            }

            var arg = (QDict)kv.Value;
            CheckKeys(arg, info, keySource, Keys.Type, Keys.IfFeatures);
            CheckIf(arg, info, keySource);
            CheckFeatures(arg.Get("features"), info);
            CheckTypeNameOrArray(arg["type"], info, keySource);
        }
    }

    private static void CheckTypeNameOrImplicit(object? value, QapiSourceInfo info, string source, string? parentName)
    {
        if (value == null || value is string)
        {
            return;
        }

        CheckTypeImplicit(value, info, source, parentName);
    }

    private static void CheckFeatures(object? features, QapiSourceInfo info)
    {
        if (features == null)
        {
            return;
        }

        if (features is not List<object> list)
        {
            throw new QapiSemError(info, "'features' must be an array");
        }

        NormalizeNamed(list);
        foreach (QDict feat in list)
        {
            string source = "'features' member";
            CheckKeys(feat, info, source, Keys.Name, Keys.If);
            Names.CheckIsStr(feat["name"], info, source);
            var featSource = new CheckSource(source, (string)feat["name"]);
            Names.CheckLower((string)feat["name"], info, featSource);
            CheckIf(feat, info, featSource);
        }
    }

    /// <summary>Turns the short form <c>'name'</c> of an enum value or feature into <c>{'name': 'name'}</c>.</summary>
    private static void NormalizeNamed(List<object> items)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is not QDict)
            {
                items[i] = new QDict(1) { ["name"] = items[i] };
            }
        }
    }

    private static void CheckEnum(QapiExpression expr)
    {
        string name = (string)expr["enum"];
        QapiSourceInfo info = expr.Info;
        if (expr["data"] is not List<object> members)
        {
            throw new QapiSemError(info, "'data' must be an array");
        }

        object? prefix = expr.Get("prefix");
        if (prefix != null && prefix is not string)
        {
            throw new QapiSemError(info, "'prefix' must be a string");
        }

        bool permissive = info.Pragma.MemberNameExceptions.Contains(name);
        NormalizeNamed(members);
        foreach (QDict member in members)
        {
            string source = "'data' member";
            CheckKeys(member, info, source, Keys.Name, Keys.IfFeatures);
            object memberName = member["name"];
            Names.CheckIsStr(memberName, info, source);
            string str = (string)memberName;
            var valueSource = new CheckSource(source, str);
            // Enum values may start with a digit: hide it from the name rules.
            if (str.Length > 0 && char.IsDigit(str[0]))
            {
                str = "d" + str;
            }

            Names.CheckLower(str, info, valueSource, permitUpper: permissive, permitUnderscore: permissive);
            CheckIf(member, info, valueSource);
            CheckFeatures(member.Get("features"), info);
        }
    }

    private static void CheckStruct(QapiExpression expr)
    {
        string name = (string)expr["struct"];
        CheckTypeImplicit(expr["data"], expr.Info, "'data'", name);
        CheckTypeName(expr.Get("base"), expr.Info, "'base'");
    }

    private static void CheckUnion(QapiExpression expr)
    {
        string name = (string)expr["union"];
        QapiSourceInfo info = expr.Info;
        CheckTypeNameOrImplicit(expr["base"], info, "'base'", name);
        Names.CheckIsStr(expr["discriminator"], info, "'discriminator'");
        if (expr["data"] is not QDict members)
        {
            throw new QapiSemError(info, "'data' must be an object");
        }

        foreach (KeyValuePair<string, object> kv in members)
        {
            var source = new CheckSource("'data' member", kv.Key);
            var value = (QDict)kv.Value;
            CheckKeys(value, info, source, Keys.Type, Keys.If);
            CheckIf(value, info, source);
            CheckTypeName(value["type"], info, source);
        }
    }

    private static void CheckAlternate(QapiExpression expr)
    {
        QapiSourceInfo info = expr.Info;
        object data = expr["data"];
        if (IsEmpty(data))
        {
            throw new QapiSemError(info, "'data' must not be empty");
        }

        if (data is not QDict members)
        {
            throw new QapiSemError(info, "'data' must be an object");
        }

        foreach (KeyValuePair<string, object> kv in members)
        {
            var source = new CheckSource("'data' member", kv.Key);
            Names.CheckLower(kv.Key, info, source);
            var value = (QDict)kv.Value;
            CheckKeys(value, info, source, Keys.Type, Keys.If);
            CheckIf(value, info, source);
            CheckTypeNameOrArray(value["type"], info, source);
        }
    }

    // Python truthiness of a schema value.
    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        QDict d => d.Count == 0,
        List<object> l => l.Count == 0,
        string s => s.Length == 0,
        bool b => !b,
        _ => false,
    };

    private static void CheckCommand(QapiExpression expr)
    {
        CheckArguments(expr);
        CheckTypeNameOrArray(expr.Get("returns"), expr.Info, "'returns'");
    }

    /// <summary>The 'data' of a command or event: a type name when boxed, else also an anonymous object.</summary>
    private static void CheckArguments(QapiExpression expr)
    {
        object? args = expr.Get("data");
        if (expr.Get("boxed") is true)
        {
            if (args == null)
            {
                throw new QapiSemError(expr.Info, "'boxed': true requires 'data'");
            }

            CheckTypeName(args, expr.Info, "'data'");
        }
        else
        {
            CheckTypeNameOrImplicit(args, expr.Info, "'data'", null);
        }
    }

    private static void CheckEvent(QapiExpression expr)
    {
        CheckArguments(expr);
    }
}
