using System.Text;
using System.Text.Json;
using QapiGen.Docs.Model;

namespace QapiGen.Docs;

/// <summary>
/// The search box's data: <c>window.QAPI_INDEX = [[name, kind, url], ...]</c>, a script rather than
/// JSON because browsers refuse to fetch files from file:// pages but do run scripts from there.
/// </summary>
public static class SearchIndex
{
    public static string Build(SchemaModel model, LinkResolver links)
    {
        var sb = new StringBuilder("window.QAPI_INDEX = [\n");
        foreach (EntityModel e in model.Entities)
        {
            Entry(sb, e.Name, e.Kind, links.Entity(e.Name)!);
        }

        foreach (ModuleModel m in model.Modules)
        {
            Entry(sb, m.Name, "module", links.Page(m.Page));
        }

        sb.Append("];\n");
        return sb.ToString();
    }

    private static void Entry(StringBuilder sb, string name, string kind, string url)
    {
        sb.Append("[\"").Append(JsonEncodedText.Encode(name).Value).Append("\",\"").Append(JsonEncodedText.Encode(kind).Value)
          .Append("\",\"").Append(JsonEncodedText.Encode(url).Value).Append("\"],\n");
    }
}
