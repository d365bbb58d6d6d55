using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using QapiGen.Schema.Introspection;

namespace QapiGen.Compat;

/// <summary>
/// Reads a saved <c>query-qmp-schema</c> reply (the bare array or <c>{"return": [...]}</c>) back
/// into SchemaInfo entries. Accepts what every QEMU since introspection has sent, including enums
/// that only have the older <c>values</c> list.
/// </summary>
public static class IntrospectionReader
{
    public static IReadOnlyList<SchemaInfoEntry> Read(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new CompatLoadException($"{source}: not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("return", out JsonElement ret))
            {
                root = ret;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new CompatLoadException($"{source}: expected a query-qmp-schema reply (an array of SchemaInfo, or {{\"return\": [...]}})");
            }

            var entries = new List<SchemaInfoEntry>();
            int index = 0;
            foreach (JsonElement e in root.EnumerateArray())
            {
                entries.Add(ReadEntry(e, $"{source}: SchemaInfo #{index}"));
                index++;
            }
            ReplyValidator.Validate(entries, source);
            return entries;
        }
    }

    private static SchemaInfoEntry ReadEntry(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new CompatLoadException($"{where}: expected an object");
        }

        string name = Str(e, "name", where);
        string meta = Str(e, "meta-type", where);
        where = $"{where} ('{name}')";
        List<SchemaInfoFeature>? features = Features(e, where);
        switch (meta)
        {
            case "builtin":
                return new SchemaInfoBuiltin(name, Str(e, "json-type", where));
            case "enum":
                List<SchemaInfoEnumMember> values;
                if (e.TryGetProperty("members", out JsonElement members))
                {
                    values = Array(members, where).Select(m => new SchemaInfoEnumMember(Str(m, "name", where), Features(m, where))).ToList();
                }
                else
                {
                    values = Array(Prop(e, "values", where), where).Select(v => new SchemaInfoEnumMember(AsStr(v, where))).ToList();
                }

                return new SchemaInfoEnum(name, values, features);
            case "array":
                return new SchemaInfoArray(name, Str(e, "element-type", where));
            case "object":
                var objMembers = Array(Prop(e, "members", where), where).Select(m => new SchemaInfoObjectMember(
                    Str(m, "name", where), Str(m, "type", where), m.TryGetProperty("default", out _), Features(m, where))).ToList();
                string? tag = null;
                List<SchemaInfoVariant>? variants = null;
                if (e.TryGetProperty("variants", out JsonElement vars))
                {
                    tag = Str(e, "tag", where);
                    variants = Array(vars, where).Select(v => new SchemaInfoVariant(Str(v, "case", where), Str(v, "type", where))).ToList();
                }
                return new SchemaInfoObject(name, objMembers, tag, variants, features);
            case "alternate":
                return new SchemaInfoAlternate(name,
                    Array(Prop(e, "members", where), where).Select(m => new SchemaInfoAlternative(Str(m, "type", where))).ToList(), features);
            case "command":
                bool oob = e.TryGetProperty("allow-oob", out JsonElement o) && o.ValueKind == JsonValueKind.True;
                return new SchemaInfoCommand(name, Str(e, "arg-type", where), Str(e, "ret-type", where), oob, features);
            case "event":
                return new SchemaInfoEvent(name, Str(e, "arg-type", where), features);
            default:
                throw new CompatLoadException($"{where}: unknown meta-type '{meta}'");
        }
    }

    private static JsonElement Prop(JsonElement e, string key, string where)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out JsonElement v) ? v
            : throw new CompatLoadException($"{where}: missing \"{key}\"");

    private static string Str(JsonElement e, string key, string where) => AsStr(Prop(e, key, where), where);

    private static string AsStr(JsonElement v, string where)
        => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new CompatLoadException($"{where}: expected a string, got {v.ValueKind}");

    private static IEnumerable<JsonElement> Array(JsonElement v, string where)
        => v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw new CompatLoadException($"{where}: expected an array");

    private static List<SchemaInfoFeature>? Features(JsonElement e, string where)
        => e.TryGetProperty("features", out JsonElement f) ? Array(f, where).Select(x => new SchemaInfoFeature(AsStr(x, where))).ToList() : null;
}
