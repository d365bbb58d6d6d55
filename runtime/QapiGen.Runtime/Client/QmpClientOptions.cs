using QapiGen.Runtime.Framing;

namespace QapiGen.Runtime.Client;

/// <summary>How a <see cref="QmpClient"/> connects and negotiates.</summary>
public sealed record QmpClientOptions
{
    /// <summary>The defaults.</summary>
    public static QmpClientOptions Default { get; } = new();

    /// <summary>Run qmp_capabilities right after the greeting (otherwise call <see cref="QmpClient.NegotiateAsync"/>).</summary>
    public bool Negotiate { get; init; } = true;

    /// <summary>Ask for the oob capability when the server offers it.</summary>
    public bool EnableOob { get; init; }

    /// <summary>Events kept for a reader that is not keeping up; the oldest are dropped beyond it.</summary>
    public int EventCapacity { get; init; } = 1024;

    /// <summary>Framing limits for the server's messages (QEMU's own, by default: replies may be large).</summary>
    public JsonFramingOptions Framing { get; init; } = JsonFramingOptions.Default with { MaxMessageSize = 64 * 1024 * 1024, MaxDepth = 1000 };
}
