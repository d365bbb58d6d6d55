using System;
using System.Collections.Generic;
using QapiGen.Runtime.Framing;

namespace QapiGen.Runtime.Protocol;

/// <summary>Per-session protocol settings; one instance is usually shared by a whole server.</summary>
public sealed record QmpSessionOptions
{
    /// <summary>The defaults (QEMU's behaviour).</summary>
    public static QmpSessionOptions Default { get; } = new();

    /// <summary>QMP (the default) or the guest-agent protocol; see <see cref="QmpDialect"/>.</summary>
    public QmpDialect Dialect { get; init; } = QmpDialect.Qmp;

    /// <summary>
    /// The version the greeting announces and the built-in <c>query-version</c> returns; by default the application's
    /// (<see cref="QmpVersion.Application"/>). A server that stands in for QEMU sets the QEMU version it emulates.
    /// </summary>
    public QmpVersion Version { get; init; } = QmpVersion.Application;

    /// <summary>Capabilities offered in the greeting; only these may be enabled by qmp_capabilities.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [QmpCapabilities.Oob];

    /// <summary>Framing limits for requests.</summary>
    public JsonFramingOptions Framing { get; init; } = JsonFramingOptions.Default;

    /// <summary>
    /// In-band requests read ahead of execution. QEMU stops reading at 8 (QMP_REQ_QUEUE_LEN_MAX);
    /// the spec tells clients to keep at most eight in flight so exec-oob still gets through.
    /// </summary>
    public int InBandQueueLength { get; init; } = 8;

    /// <summary>
    /// Received fds waiting for a command to claim them (oldest closed beyond this).
    /// </summary>
    public int MaxPendingFds { get; init; } = 64;

    /// <summary>
    /// Output not yet accepted by the socket beyond which execution pauses until the client
    /// reads (back-pressure instead of unbounded buffering): in-band requests wait in the queue,
    /// and out-of-band ones are not read, so input stops being taken too.
    /// </summary>
    public int OutputHighWatermark { get; init; } = 1024 * 1024;

    /// <summary>
    /// Output backlog at which a client that does not read is disconnected (events keep
    /// arriving even when commands are paused, so this bounds memory per session).
    /// </summary>
    public int OutputHardLimit { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Optional veto run before every command (after lookup): return an error to refuse it,
    /// e.g. "The command 'x' isn't permitted in 'prelaunch' state" for preconfig gating.
    /// </summary>
    public Func<QmpSession, QmpCommandInfo, QmpError?>? CommandGate { get; init; }

    /// <summary>
    /// Called when a handler throws something other than <see cref="QmpException"/> or a
    /// cancellation; the client then gets a GenericError with the exception message.
    /// </summary>
    public Action<QmpSession, string, Exception>? UnhandledException { get; init; }

    /// <summary>
    /// Indent every message written for this session (QEMU's <c>-mon ...,pretty=on</c> and
    /// monitor-add's <c>pretty</c>). Broadcast events are shared by all sessions and stay compact.
    /// </summary>
    public bool Pretty { get; init; }

    /// <summary>Clock for event timestamps (tests may substitute it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
