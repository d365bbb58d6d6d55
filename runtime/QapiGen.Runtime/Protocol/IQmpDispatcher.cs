using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The command table a session runs commands through. The source generator emits one
/// implementation per schema; tests and hand-written servers may implement it directly.
/// </summary>
/// <remarks>
/// <para>Contract:</para>
/// <list type="bullet">
/// <item><see cref="TryGetCommand"/> is called for every request once it passed the protocol
/// checks; it must be cheap and thread-safe. It is never asked about <c>qmp_capabilities</c>:
/// negotiation belongs to the session (a generated table may still list it for
/// query-commands).</item>
/// <item><see cref="DispatchAsync"/> is called only for a name <see cref="TryGetCommand"/>
/// accepted, with <c>arguments</c> the UTF-8 JSON text of the request's "arguments", always one
/// well-formed object without insignificant whitespace (<c>{}</c> when the request had none), a
/// slice of the request as received: read it with a <see cref="Utf8JsonReader"/> (or
/// <see cref="JsonElement.ParseValue"/> where a tree is wanted). It checks the arguments (unknown members, missing mandatory
/// members, types; use the <see cref="QmpError"/> factories for QEMU's wording), runs the
/// handler, and returns the reply. It reports failures either by returning
/// <c>QmpReply.FromError</c> or by throwing <see cref="QmpException"/>.</item>
/// <item>In-band commands of one session never run concurrently; out-of-band commands
/// (<c>exec-oob</c>, only for <see cref="QmpCommandInfo.AllowOob"/>) may run while an in-band
/// command of the same session is in progress, so their handlers must be thread-safe and quick.
/// Commands of different sessions may run concurrently.</item>
/// <item>The bytes of <c>arguments</c> are only valid until the returned task completes; copy
/// what must live longer.</item>
/// <item><c>cancellationToken</c> is cancelled when the session is closing (the monitor was
/// removed, a reply could not be sent, or the client went away: on a unix socket as soon as the
/// client closes its end; a TCP close looks like a half-close, after which a client may still
/// wait for replies, so there it is noticed only when a reply fails); no reply will be
/// delivered then.</item>
/// </list>
/// </remarks>
public interface IQmpDispatcher
{
    /// <summary>Looks a command up by wire name.</summary>
    bool TryGetCommand(string name, out QmpCommandInfo info);

    /// <summary>Runs the command described by <see cref="QmpCommandContext.Command"/>.</summary>
    ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken);
}
