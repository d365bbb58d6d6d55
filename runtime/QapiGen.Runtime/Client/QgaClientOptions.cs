using System;
using QapiGen.Runtime.Framing;

namespace QapiGen.Runtime.Client;

/// <summary>Settings of a <see cref="QgaClient"/>.</summary>
public sealed record QgaClientOptions
{
    /// <summary>The defaults.</summary>
    public static QgaClientOptions Default { get; } = new();

    /// <summary>
    /// How long one call (and one resynchronisation) may wait for the agent. A guest may never
    /// answer (agent not running, guest paused), so every call has a bound; after it passes the
    /// call fails with <see cref="TimeoutException"/> and the next call resynchronises first.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Framing limits for the agent's replies.</summary>
    public JsonFramingOptions Framing { get; init; } = JsonFramingOptions.Default with { MaxMessageSize = 64 * 1024 * 1024, MaxDepth = 1000 };
}
