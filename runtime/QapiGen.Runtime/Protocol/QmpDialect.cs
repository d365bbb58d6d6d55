namespace QapiGen.Runtime.Protocol;

/// <summary>
/// Which of QAPI's two protocols a session serves (<see cref="QmpSessionOptions.Dialect"/>). Both
/// frame, check and dispatch requests alike; they differ only in how a conversation starts and
/// how a client finds its place in the stream.
/// </summary>
public enum QmpDialect
{
    /// <summary>QMP: a greeting first, then commands only after <c>qmp_capabilities</c>.</summary>
    Qmp,

    /// <summary>
    /// The guest-agent protocol (qemu-ga): no greeting and no negotiation, commands are accepted
    /// at once (<c>qmp_capabilities</c> is an unknown command unless the dispatcher defines it);
    /// no out-of-band execution. The session answers <c>guest-sync</c> and
    /// <c>guest-sync-delimited</c> itself when the dispatcher does not define them, and writes a
    /// 0xFF byte before every successful <c>guest-sync-delimited</c> reply, whoever answered it,
    /// so that a client can find the start of that reply in a stream holding stale output. A 0xFF
    /// byte from the client makes the framing drop the request in progress (it is never valid in
    /// JSON text), which is answered with a parse error, as qemu-ga does.
    /// </summary>
    GuestAgent,
}
