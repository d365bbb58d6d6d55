using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Schema.Introspection;

/// <summary>meta-type <c>event</c>: the type of the event's data (an empty object when absent).</summary>
public sealed class SchemaInfoEvent : SchemaInfoEntry
{
    public SchemaInfoEvent(string name, string argType, IReadOnlyList<SchemaInfoFeature>? features = null,
        QapiSchemaIfCond? ifCond = null, QapiSourceInfo? info = null)
        : base(name, features, ifCond, name, info)
    {
        ArgType = argType;
    }

    public override string MetaType => "event";

    public string ArgType { get; }
}
