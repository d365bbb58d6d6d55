using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>
/// Writes SchemaInfo entries as QEMU's monitor prints them: compact JSON with <c>", "</c> and
/// <c>": "</c> separators, keys in QDict order (<see cref="QemuDictOrder"/>), non-ASCII and control
/// characters as upper-case <c>\uXXXX</c>. Deterministic, so the text can be compared byte for byte.
/// </summary>
public static class SchemaInfoJson
{
    /// <summary>The JSON array of <paramref name="entries"/>, dropping whatever <paramref name="include"/> rejects.</summary>
    public static string Write(IEnumerable<SchemaInfoEntry> entries, Func<QapiSchemaIfCond, bool>? include = null)
    {
        var sb = new StringBuilder();
        WriteValue(sb, ToTree(entries), include ?? (_ => true));
        return sb.ToString();
    }

    /// <summary>The whole reply to <c>query-qmp-schema</c>: <c>{"return": [...]}</c> (without the trailing newline).</summary>
    public static string WriteReply(IEnumerable<SchemaInfoEntry> entries, Func<QapiSchemaIfCond, bool>? include = null)
        => "{\"return\": " + Write(entries, include) + "}";

    /// <summary>
    /// The JSON array of <paramref name="entries"/> with its conditions still open, folded bottom-up:
    /// <paramref name="json"/> gets the JSON text of a value nothing in which depends on a condition (a
    /// scalar, or a whole object or array: such a value is written at once, not folded); <paramref name="obj"/>
    /// the members of an object that holds a condition, in print order, keys as JSON text; <paramref name="array"/>
    /// the elements of an array that holds one, each with the condition under which it exists
    /// (<see cref="QapiSchemaIfCond.None"/> for always). Conditions only ever apply to array elements
    /// (entries, members, values, variants, features), so a consumer can resolve them later, for any set
    /// of defined symbols, exactly as <see cref="Write"/> would.
    /// </summary>
    public static T Fold<T>(IEnumerable<SchemaInfoEntry> entries, Func<string, T> json,
        Func<IReadOnlyList<KeyValuePair<string, T>>, T> obj, Func<IReadOnlyList<KeyValuePair<QapiSchemaIfCond, T>>, T> array)
    {
        // One builder for every text: most entries of a schema hold no condition, and each is then one
        // string, not a string per scalar and key joined level by level.
        var text = new StringBuilder();
        T Go(object? value)
        {
            if (!HasCondition(value))
            {
                WriteValue(text.Clear(), value, _ => true);
                return json(text.ToString());
            }

            if (value is JObject o)
            {
                SortForPrint(o);
                var members = new List<KeyValuePair<string, T>>(o.Count);
                foreach (KeyValuePair<string, object?> kv in o)
                {
                    members.Add(new KeyValuePair<string, T>(Quote(kv.Key), Go(kv.Value)));
                }

                return obj(members);
            }

            var list = (List<object?>)value!;
            var elements = new List<KeyValuePair<QapiSchemaIfCond, T>>(list.Count);
            foreach (object? item in list)
            {
                elements.Add(item is Conditional c
                    ? new KeyValuePair<QapiSchemaIfCond, T>(c.Cond, Go(c.Value))
                    : new KeyValuePair<QapiSchemaIfCond, T>(QapiSchemaIfCond.None, Go(item)));
            }
            return array(elements);
        }
        return Go(ToTree(entries));
    }

    // Whether a value holds an array element under a condition.
    private static bool HasCondition(object? value)
    {
        switch (value)
        {
            case JObject o:
                foreach (KeyValuePair<string, object?> kv in o)
                {
                    if (HasCondition(kv.Value))
                    {
                        return true;
                    }
                }
                return false;
            case List<object?> list:
                foreach (object? item in list)
                {
                    if (item is Conditional || HasCondition(item))
                    {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /// <summary>A string as QEMU prints it (<see cref="WriteString"/>).</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        WriteString(sb, s);
        return sb.ToString();
    }

    // A JSON object under construction: key/value pairs in insertion order.
    private sealed class JObject : List<KeyValuePair<string, object?>>
    {
        public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
    }

    // An array element that exists only where its condition holds.
    private sealed class Conditional
    {
        public Conditional(QapiSchemaIfCond cond, object? value)
        {
            Cond = cond;
            Value = value;
        }

        public QapiSchemaIfCond Cond { get; }
        public object? Value { get; }
    }

    private static object? When(QapiSchemaIfCond cond, object? value) => cond.Expr == null ? value : new Conditional(cond, value);

    // The tree keeps every condition on its array element; writers resolve them.
    private static List<object?> ToTree(IEnumerable<SchemaInfoEntry> entries)
    {
        var list = new List<object?>();
        foreach (SchemaInfoEntry e in entries)
        {
            var obj = new JObject();
            switch (e)
            {
                case SchemaInfoBuiltin b:
                    obj.Add("json-type", b.JsonType);
                    break;
                case SchemaInfoEnum en:
                    obj.Add("members", en.Members.Select(m => When(m.IfCond, Member(m.Name, m.Features))).ToList());
                    obj.Add("values", en.Members.Select(m => When(m.IfCond, m.Name)).ToList());
                    break;
                case SchemaInfoArray a:
                    obj.Add("element-type", a.ElementType);
                    break;
                case SchemaInfoObject o:
                    obj.Add("members", o.Members.Select(m => When(m.IfCond, ObjectMember(m))).ToList());
                    if (o.Variants != null)
                    {
                        obj.Add("tag", o.Tag);
                        obj.Add("variants", o.Variants
                            .Select(v => When(v.IfCond, new JObject { { "case", v.Case }, { "type", v.Type } })).ToList());
                    }
                    break;
                case SchemaInfoAlternate alt:
                    obj.Add("members", alt.Members.Select(m => When(m.IfCond, new JObject { { "type", m.Type } })).ToList());
                    break;
                case SchemaInfoCommand c:
                    obj.Add("arg-type", c.ArgType);
                    obj.Add("ret-type", c.RetType);
                    if (c.AllowOob)
                    {
                        obj.Add("allow-oob", true);
                    }

                    break;
                case SchemaInfoEvent ev:
                    obj.Add("arg-type", ev.ArgType);
                    break;
            }
            obj.Add("name", e.Name);
            obj.Add("meta-type", e.MetaType);
            AddFeatures(obj, e.Features);
            list.Add(When(e.IfCond, obj));
        }
        return list;
    }

    private static JObject Member(string name, IReadOnlyList<SchemaInfoFeature> features)
    {
        var obj = new JObject { { "name", name } };
        AddFeatures(obj, features);
        return obj;
    }

    private static JObject ObjectMember(SchemaInfoObjectMember m)
    {
        var obj = new JObject { { "name", m.Name }, { "type", m.Type } };
        if (m.Optional)
        {
            obj.Add("default", null);
        }

        AddFeatures(obj, m.Features);
        return obj;
    }

    // QEMU omits "features" when the list is empty in the schema, but prints [] when every
    // feature's condition is false at build time (the list itself is unconditional).
    private static void AddFeatures(JObject obj, IReadOnlyList<SchemaInfoFeature> features)
    {
        if (features.Count > 0)
        {
            obj.Add("features", features.Select(f => When(f.IfCond, f.Name)).ToList());
        }
    }

    // Few keys per object: an insertion sort in QEMU's print order, in place.
    private static void SortForPrint(JObject obj)
    {
        for (int i = 1; i < obj.Count; i++)
        {
            KeyValuePair<string, object?> item = obj[i];
            int j = i - 1;
            for (; j >= 0 && QemuDictOrder.CompareGenerated(obj[j].Key, item.Key) > 0; j--)
            {
                obj[j + 1] = obj[j];
            }

            obj[j + 1] = item;
        }
    }

    private static void WriteValue(StringBuilder sb, object? value, Func<QapiSchemaIfCond, bool> include)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case JObject obj:
                SortForPrint(obj);
                sb.Append('{');
                for (int i = 0; i < obj.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    WriteString(sb, obj[i].Key);
                    sb.Append(": ");
                    WriteValue(sb, obj[i].Value, include);
                }
                sb.Append('}');
                break;
            case List<object?> list:
                sb.Append('[');
                bool first = true;
                foreach (object? item in list)
                {
                    if (item is Conditional c && !include(c.Cond))
                    {
                        continue;
                    }

                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    WriteValue(sb, item is Conditional kept ? kept.Value : item, include);
                }
                sb.Append(']');
                break;
            default:
                throw new InvalidOperationException("unexpected JSON value " + value.GetType());
        }
    }

    /// <summary>QEMU's <c>quoted_str</c> (qobject/json-writer.c).</summary>
    internal static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            int cp = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                // Code points beyond the BMP are printed as their surrogate pair, as QEMU does.
                sb.Append("\\u").Append(((int)s[i]).ToString("X4")).Append("\\u").Append(((int)s[i + 1]).ToString("X4"));
                i++;
                continue;
            }
            switch (cp)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (cp < 0x20 || cp >= 0x7F)
                    {
                        sb.Append("\\u").Append(cp.ToString("X4"));
                    }
                    else
                    {
                        sb.Append((char)cp);
                    }

                    break;
            }
        }
        sb.Append('"');
    }
}
