using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>meta-type <c>command</c>: argument and return types (an empty object when absent) and allow-oob.</summary>
public sealed class SchemaInfoCommand : SchemaInfoEntry
{
    public SchemaInfoCommand(string name, string argType, string retType, bool allowOob, IReadOnlyList<SchemaInfoFeature>? features = null,
        QapiSchemaIfCond? ifCond = null, QapiSourceInfo? info = null, bool? allowPreconfig = null)
        : base(name, features, ifCond, name, info)
    {
        ArgType = argType;
        RetType = retType;
        AllowOob = allowOob;
        AllowPreconfig = allowPreconfig;
    }

    public override string MetaType => "command";

    public string ArgType { get; }
    public string RetType { get; }
    public bool AllowOob { get; }

    /// <summary>Annotation (not on the wire): whether the command runs before machine creation; null when unknown.</summary>
    public bool? AllowPreconfig { get; }
}
