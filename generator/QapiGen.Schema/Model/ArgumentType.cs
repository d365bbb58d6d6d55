using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Model;

/// <summary>
/// The 'data' of a command or event: the same rules for both, phrased with the definition's kind
/// ("command's 'data'", "conditional event arguments ...").
/// </summary>
internal static class ArgumentType
{
    /// <summary>Resolves and checks the argument type; null when the definition has no 'data'.</summary>
    public static QapiSchemaObjectType? Resolve(QapiSchema schema, QapiSchemaEntity owner, string? argTypeName, bool boxed)
    {
        if (argTypeName == null)
        {
            return null;
        }

        string? meta = owner.Meta;
        QapiSchemaType argType = schema.ResolveType(argTypeName, owner.Info, $"{meta}'s 'data'");
        if (argType is not QapiSchemaObjectType objType)
        {
            throw new QapiSemError(owner.Info, $"{meta}'s 'data' cannot take {argType.Describe()}");
        }

        if (objType.Variants != null && !boxed)
        {
            throw new QapiSemError(owner.Info, $"{meta}'s 'data' can take {objType.Describe()} only with 'boxed': true");
        }

        objType.Check(schema);
        if (objType.HasConditionalMembers && !boxed)
        {
            throw new QapiSemError(owner.Info, $"conditional {meta} arguments require 'boxed': true");
        }

        return objType;
    }
}
