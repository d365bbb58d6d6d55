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
        WriteValue(sb, ToTree(entries, include ?? (_ => true)));
        return sb.ToString();
    }

    /// <summary>The whole reply to <c>query-qmp-schema</c>: <c>{"return": [...]}</c> (without the trailing newline).</summary>
    public static string WriteReply(IEnumerable<SchemaInfoEntry> entries, Func<QapiSchemaIfCond, bool>? include = null)
        => "{\"return\": " + Write(entries, include) + "}";

    // A JSON object under construction: key/value pairs in insertion order.
    private sealed class JObject : List<KeyValuePair<string, object?>>
    {
        public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
    }

    private static List<object?> ToTree(IEnumerable<SchemaInfoEntry> entries, Func<QapiSchemaIfCond, bool> include)
    {
        var list = new List<object?>();
        foreach (var e in entries)
        {
            if (!include(e.IfCond))
            {
                continue;
            }

            var obj = new JObject();
            switch (e)
            {
                case SchemaInfoBuiltin b:
                    obj.Add("json-type", b.JsonType);
                    break;
                case SchemaInfoEnum en:
                    var values = en.Members.Where(m => include(m.IfCond)).ToList();
                    obj.Add("members", values.Select(m => (object?)Member(m.Name, m.Features, include)).ToList());
                    obj.Add("values", values.Select(m => (object?)m.Name).ToList());
                    break;
                case SchemaInfoArray a:
                    obj.Add("element-type", a.ElementType);
                    break;
                case SchemaInfoObject o:
                    obj.Add("members", o.Members.Where(m => include(m.IfCond)).Select(m => (object?)ObjectMember(m, include)).ToList());
                    if (o.Variants != null)
                    {
                        obj.Add("tag", o.Tag);
                        obj.Add("variants", o.Variants.Where(v => include(v.IfCond))
                            .Select(v => (object?)new JObject { { "case", v.Case }, { "type", v.Type } }).ToList());
                    }
                    break;
                case SchemaInfoAlternate alt:
                    obj.Add("members", alt.Members.Where(m => include(m.IfCond))
                        .Select(m => (object?)new JObject { { "type", m.Type } }).ToList());
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
            AddFeatures(obj, e.Features, include);
            list.Add(obj);
        }
        return list;
    }

    private static JObject Member(string name, IReadOnlyList<SchemaInfoFeature> features, Func<QapiSchemaIfCond, bool> include)
    {
        var obj = new JObject { { "name", name } };
        AddFeatures(obj, features, include);
        return obj;
    }

    private static JObject ObjectMember(SchemaInfoObjectMember m, Func<QapiSchemaIfCond, bool> include)
    {
        var obj = new JObject { { "name", m.Name }, { "type", m.Type } };
        if (m.Optional)
        {
            obj.Add("default", null);
        }

        AddFeatures(obj, m.Features, include);
        return obj;
    }

    // QEMU omits "features" when the list is empty in the schema, but prints [] when every
    // feature's condition is false at build time (the list itself is unconditional).
    private static void AddFeatures(JObject obj, IReadOnlyList<SchemaInfoFeature> features, Func<QapiSchemaIfCond, bool> include)
    {
        if (features.Count > 0)
        {
            obj.Add("features", features.Where(f => include(f.IfCond)).Select(f => (object?)f.Name).ToList());
        }
    }

    private static void WriteValue(StringBuilder sb, object? value)
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
                // Few keys per object: an insertion sort in QEMU's print order, in place.
                for (int i = 1; i < obj.Count; i++)
                {
                    var item = obj[i];
                    int j = i - 1;
                    for (; j >= 0 && QemuDictOrder.CompareGenerated(obj[j].Key, item.Key) > 0; j--)
                    {
                        obj[j + 1] = obj[j];
                    }

                    obj[j + 1] = item;
                }
                sb.Append('{');
                for (int i = 0; i < obj.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    WriteString(sb, obj[i].Key);
                    sb.Append(": ");
                    WriteValue(sb, obj[i].Value);
                }
                sb.Append('}');
                break;
            case List<object?> list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    WriteValue(sb, list[i]);
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
