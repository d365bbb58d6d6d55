using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace QapiGen.Tests.Shared;

/// <summary>
/// JSON text in a canonical form for comparing values "member order aside": object members sorted
/// by name, numbers by value (an integer as itself, any other number as its shortest double), no
/// whitespace.
/// </summary>
internal static class JsonCanon
{
    public static string Of(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Of(doc.RootElement);
    }

    public static string Of(JsonElement e)
    {
        var sb = new StringBuilder();
        Write(sb, e);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                bool first = true;
                foreach (JsonProperty p in e.EnumerateObject().OrderBy(p => p.Name, System.StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    sb.Append('"').Append(JsonEncodedText.Encode(p.Name).ToString()).Append("\":");
                    Write(sb, p.Value);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                int i = 0;
                foreach (JsonElement item in e.EnumerateArray())
                {
                    if (i++ > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, item);
                }
                sb.Append(']');
                break;
            case JsonValueKind.Number:
                if (e.TryGetInt64(out long l))
                {
                    sb.Append(l.ToString(CultureInfo.InvariantCulture));
                }
                else if (e.TryGetUInt64(out ulong u))
                {
                    sb.Append(u.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(e.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                }

                break;
            case JsonValueKind.String:
                sb.Append('"').Append(JsonEncodedText.Encode(e.GetString()!).ToString()).Append('"');
                break;
            default:
                sb.Append(e.GetRawText());
                break;
        }
    }
}
