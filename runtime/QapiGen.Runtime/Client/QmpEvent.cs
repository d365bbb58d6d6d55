using System;
using System.Text.Json;

namespace QapiGen.Runtime.Client;

/// <summary>An asynchronous event received by a client. <see cref="Data"/> is detached from any buffer.</summary>
/// <param name="Name">The event name, e.g. <c>STOP</c>.</param>
/// <param name="Data">The "data" member, or <c>default</c> (ValueKind Undefined) when absent.</param>
/// <param name="Seconds">Timestamp seconds (-1 when the server could not read its clock).</param>
/// <param name="Microseconds">Timestamp microseconds.</param>
public sealed record QmpEvent(string Name, JsonElement Data, long Seconds, long Microseconds)
{
    /// <summary>The event's timestamp (<see cref="DateTimeOffset.MinValue"/> when the server sent none).</summary>
    public DateTimeOffset Timestamp =>
        Seconds < 0 ? DateTimeOffset.MinValue : DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Microseconds * 10);
}
