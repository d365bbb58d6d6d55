namespace QapiGen.CodeGen;

/// <summary>
/// Which side of the protocol the generated code serves (<c>Generate="..."</c> on a <c>QapiSchema</c> item,
/// <c>qapigen generate --generate ...</c>). Only the code that side runs is emitted.
/// </summary>
public enum GenerationScope
{
    /// <summary>Everything: both sides (the default).</summary>
    All,

    /// <summary>Types, argument writers, reply and event readers, the events' classes and the typed client.</summary>
    Client,

    /// <summary>Types, strict argument readers, reply and event writers, the handler interface, the dispatch table and introspection.</summary>
    Server,

    /// <summary>The C# types only (no JSON code, no runtime needed).</summary>
    Types,
}
