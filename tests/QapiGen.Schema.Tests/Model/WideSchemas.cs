using System.Text;

namespace QapiGen.Schema.Tests.Model;

/// <summary>Schema texts that grow in one direction, for the tests that measure what an item costs.</summary>
internal static class WideSchemas
{
    /// <summary>
    /// A union over an enum of <paramref name="branches"/> + 1 values, every branch the same struct, its base the
    /// discriminator and <paramref name="baseMembers"/> more members.
    /// </summary>
    public static string Union(int baseMembers, int branches)
    {
        var text = new StringBuilder("{ 'enum': 'Kind', 'data': [");
        for (int i = 0; i < branches; i++)
        {
            text.Append($" 'k{i}',");
        }
        text.Append(" 'last' ] }\n{ 'union': 'Choice', 'base': { 'kind': 'Kind'");
        for (int i = 0; i < baseMembers; i++)
        {
            text.Append($", 'common-{i}': 'int'");
        }
        text.Append(" }, 'discriminator': 'kind', 'data': {");
        for (int i = 0; i < branches; i++)
        {
            text.Append($" 'k{i}': 'Branch',");
        }
        return text.Append(" 'last': 'Branch' } }\n{ 'struct': 'Branch', 'data': { 'own': 'str' } }\n").ToString();
    }
}
