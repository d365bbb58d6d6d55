using QapiGen.Runtime.Framing;

namespace QapiGen.Runtime.Client;

public sealed record QmpClientOptions
{
    public static QmpClientOptions Default { get; } = new();

    /// <summary>Run qmp_capabilities right after the greeting (otherwise call <see cref="QmpClient.NegotiateAsync"/>).</summary>
    public bool Negotiate { get; init; } = true;

    /// <summary>Ask for the oob capability when the server offers it.</summary>
    public bool EnableOob { get; init; }

    /// <summary>Events kept for a reader that is not keeping up; the oldest are dropped beyond it.</summary>
    public int EventCapacity { get; init; } = 1024;

    public JsonFramingOptions Framing { get; init; } = JsonFramingOptions.Default with { MaxMessageSize = 64 * 1024 * 1024, MaxDepth = 1000 };
}
