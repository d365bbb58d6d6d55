using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Checking;

/// <summary>
/// Rewrites QEMU's older schema language (v5.2 / v6.0) into the current one, before the normal
/// expression checks, so the checks themselves stay those of the current language. Only used
/// with <see cref="QapiSchemaOptions.Lenient"/>. It handles:
/// <list type="bullet">
/// <item>string conditions (<c>'defined(CONFIG_A) || defined(CONFIG_B)'</c>) and lists of them
/// (all must hold) → the structured <c>all</c> / <c>any</c> / <c>not</c> form;</item>
/// <item>simple unions (no discriminator) → a flat union, desugared exactly as old QEMU did: an
/// implicit enum <c>NAMEKind</c> of the branch names, a tag member <c>type</c>, and per branch
/// type T a wrapper object <c>q_obj_T-wrapper</c> with a single member <c>data</c>, so the wire
/// and introspection are those of the old QEMU;</item>
/// <item>the older naming rules: command and member names with '_' or upper case were allowed
/// without listing them in a pragma.</item>
/// </list>
/// </summary>
public static class LegacyNormalizer
{
    /// <summary>
    /// Key of a synthesized wrapper definition naming the union and branch that first used it, as a
    /// <c>string[] { union, branch }</c>: errors about the wrapped type are reported for that branch.
    /// Synthesized definitions skip the key checks; a definition written in a schema cannot carry it
    /// (the checks reject unknown keys).
    /// </summary>
    internal const string WrapperOfKey = "q-wrapper-of";

    /// <summary>The rewritten expressions in definition order, and which of them were synthesized.</summary>
    public sealed class Result
    {
        internal Result(List<QapiExpression> all, HashSet<QapiExpression> synthesized)
        {
            All = all;
            Synthesized = synthesized;
        }

        /// <summary>Every expression, with the implicit definitions right before the union that needs them.</summary>
        public List<QapiExpression> All { get; }

        /// <summary>
        /// Definitions the front end makes up (wrapper objects, the <c>Kind</c> enums): already in
        /// checked form, with names reserved to the front end, so they skip the expression checks.
        /// </summary>
        public HashSet<QapiExpression> Synthesized { get; }

        /// <summary>The expressions to hand to <see cref="ExprChecker.CheckExprs"/>.</summary>
        public List<QapiExpression> ToCheck => All.Where(e => !Synthesized.Contains(e)).ToList();
    }

    public static Result Normalize(IReadOnlyList<QapiExpression> exprs)
    {
        var all = new List<QapiExpression>();
        var synthesized = new HashSet<QapiExpression>();
        var wrappers = new HashSet<string>(StringComparer.Ordinal);

        // Conditions first: wrappers copy the condition of a type that may be defined further down.
        foreach (QapiExpression expr in exprs)
        {
            if (expr.Expr.ContainsKey("include"))
            {
                continue;
            }

            NormalizeConditions(expr.Expr, expr.Info);
            RelaxNaming(expr);
        }
        Dictionary<string, object> definedIfs = CollectTypeConditions(exprs);

        foreach (QapiExpression expr in exprs)
        {
            QDict dict = expr.Expr;
            if (dict.ContainsKey("union") && !dict.ContainsKey("discriminator") && dict.Get("data") is QDict)
            {
                foreach (QapiExpression implicitDef in DesugarSimpleUnion(expr, definedIfs, wrappers))
                {
                    all.Add(implicitDef);
                    synthesized.Add(implicitDef);
                }
            }
            all.Add(expr);
        }
        return new Result(all, synthesized);
    }

    // ---- conditions --------------------------------------------------------------------------

    /// <summary>Rewrites every 'if' of a definition: its own, its members', branches', values' and features'.</summary>
    private static void NormalizeConditions(QDict expr, QapiSourceInfo info)
    {
        ConvertIf(expr, info);
        ConvertFeatures(expr.Get("features"), info);
        foreach (string? key in new[] { "data", "base" })
        {
            switch (expr.Get(key))
            {
                case QDict members:
                    foreach (KeyValuePair<string, object> kv in members)
                    {
                        if (kv.Value is QDict member)
                        {
                            ConvertIf(member, info);
                            ConvertFeatures(member.Get("features"), info);
                        }
                    }
                    break;
                case List<object> values when expr.ContainsKey("enum"):
                    foreach (QDict value in values.OfType<QDict>())
                    {
                        ConvertIf(value, info);
                        ConvertFeatures(value.Get("features"), info);
                    }
                    break;
            }
        }
    }

    private static void ConvertFeatures(object? features, QapiSourceInfo info)
    {
        if (features is List<object> list)
        {
            foreach (QDict f in list.OfType<QDict>())
            {
                ConvertIf(f, info);
            }
        }
    }

    private static void ConvertIf(QDict holder, QapiSourceInfo info)
    {
        object? cond = holder.Get("if");
        switch (cond)
        {
            case string s when !IsIdentifier(s):
                holder["if"] = CppCondition.Parse(s, info);
                break;
            case List<object> list:
                // A list meant "all of these".
                var operands = list.Select(c => c is string s ? CppCondition.Parse(s, info) : c).ToList();
                holder["if"] = operands.Count == 1 ? operands[0] : new QDict { ["all"] = operands };
                break;
        }
    }

    private static bool IsIdentifier(string s)
        => s.Length > 0 && s.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '_');

    // ---- naming ------------------------------------------------------------------------------

    /// <summary>
    /// Before 6.0, '_' in command names and member names outside the current rules were accepted
    /// without a pragma. Record them in the pragma the current checks consult.
    /// </summary>
    private static void RelaxNaming(QapiExpression expr)
    {
        QapiPragma pragma = expr.Info.Pragma;
        if (expr.Expr.Get("command") is string command && command.IndexOf('_') >= 0 && !pragma.CommandNameExceptions.Contains(command))
        {
            pragma.CommandNameExceptions.Add(command);
        }

        string? name = new[] { "struct", "union", "enum" }.Select(k => expr.Expr.Get(k) as string).FirstOrDefault(n => n != null);
        if (name == null || pragma.MemberNameExceptions.Contains(name))
        {
            return;
        }

        IEnumerable<string> memberNames = expr.Expr.Get("data") switch
        {
            QDict d => d.Keys.Select(k => k.TrimStart('*')),
            List<object> l => l.Select(v => v is QDict q ? q.Get("name") as string ?? "" : v as string ?? ""),
            _ => Enumerable.Empty<string>(),
        };
        if (memberNames.Any(m => m.IndexOf('_') >= 0 || m.Any(char.IsUpper)))
        {
            pragma.MemberNameExceptions.Add(name);
        }
    }

    // ---- simple unions -----------------------------------------------------------------------

    /// <summary>The 'if' of every type defined in the schema, for wrappers (which take their wrapped type's condition).</summary>
    private static Dictionary<string, object> CollectTypeConditions(IReadOnlyList<QapiExpression> exprs)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (QapiExpression expr in exprs)
        {
            foreach (string? key in new[] { "struct", "union", "enum", "alternate" })
            {
                if (expr.Expr.Get(key) is string name && expr.Expr.Get("if") is { } cond)
                {
                    result[name] = cond;
                }
            }
        }
        return result;
    }

    private static IEnumerable<QapiExpression> DesugarSimpleUnion(QapiExpression expr, Dictionary<string, object> typeIfs, HashSet<string> wrappers)
    {
        QDict dict = expr.Expr;
        string name = dict.Get("union") as string ?? "";
        QapiSourceInfo info = expr.Info;
        var data = (QDict)dict["data"];
        if (dict.ContainsKey("base"))
        {
            throw new QapiSemError(info, "'base' requires 'discriminator'");
        }

        var newData = new QDict();
        var kindValues = new List<object>();
        var result = new List<QapiExpression>();
        foreach (KeyValuePair<string, object> kv in data)
        {
            QDict branch = kv.Value as QDict ?? new QDict { ["type"] = kv.Value };
            object? type = branch.Get("type");
            bool isArray = type is List<object> { Count: 1 } l && l[0] is string;
            string? typeName = isArray ? (string)((List<object>)type!)[0] + "List" : type as string;
            if (typeName == null)
            {
                throw new QapiSemError(info, $"'data' member '{kv.Key}' should be a type name");
            }

            string element = isArray ? (string)((List<object>)type!)[0] : typeName;

            string wrapper = $"q_obj_{typeName}-wrapper";
            if (wrappers.Add(wrapper))
            {
                var wrapperDef = new QDict
                {
                    ["struct"] = wrapper,
                    ["data"] = new QDict { ["data"] = new QDict { ["type"] = type! } },
                    [WrapperOfKey] = new[] { name, kv.Key },
                };
                // Old QEMU gave the wrapper its wrapped type's condition.
                if (typeIfs.TryGetValue(element, out object? wrappedIf))
                {
                    wrapperDef["if"] = wrappedIf;
                }

                result.Add(new QapiExpression(wrapperDef, info));
            }

            var newBranch = new QDict { ["type"] = wrapper };
            var value = new QDict { ["name"] = kv.Key };
            if (branch.Get("if") is { } cond)
            {
                newBranch["if"] = cond;
                value["if"] = cond;
            }
            newData[kv.Key] = newBranch;
            kindValues.Add(value);
        }

        var kindDef = new QDict { ["enum"] = name + "Kind", ["data"] = kindValues };
        if (dict.Get("if") is { } unionIf)
        {
            kindDef["if"] = unionIf;
        }

        result.Add(new QapiExpression(kindDef, info));

        dict["base"] = new QDict { ["type"] = name + "Kind" };
        dict["discriminator"] = "type";
        dict["data"] = newData;
        return result;
    }
}
