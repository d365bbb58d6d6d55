using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// A command's return value that knows how to write itself. Generated return types (or small
/// generated wrappers) implement it so replies are written straight into the pooled output
/// buffer with no intermediate DOM.
/// </summary>
public interface IQmpReturnValue
{
    /// <summary>Writes exactly one JSON value.</summary>
    void WriteTo(Utf8JsonWriter writer);
}
