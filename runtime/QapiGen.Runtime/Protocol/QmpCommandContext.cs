using System;
using System.Collections.Generic;
using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// Everything a command handler may need besides its arguments: the session (and through it
/// the monitor), the fds received on that session, and a way to emit events.
/// </summary>
public sealed class QmpCommandContext
{
    private readonly ReadOnlyMemory<byte> _id;
    private List<Action>? _afterReply;

    /// <summary>
    /// A context for calling a dispatcher directly (tests, in-process callers): an in-band
    /// request of <paramref name="session"/> without id or fds.
    /// </summary>
    /// <param name="session">The session the command runs for (it need not be started).</param>
    /// <param name="command">The command, as <see cref="IQmpDispatcher.TryGetCommand"/> describes it.</param>
    public QmpCommandContext(QmpSession session, QmpCommandInfo command)
        : this(session ?? throw new ArgumentNullException(nameof(session)), command, false, default, QmpMessageFds.None)
    {
    }

    internal QmpCommandContext(QmpSession session, QmpCommandInfo command, bool outOfBand, ReadOnlyMemory<byte> id, QmpMessageFds fds)
    {
        Session = session;
        Command = command;
        IsOutOfBand = outOfBand;
        _id = id;
        Fds = fds;
    }

    /// <summary>The connection the command came in on.</summary>
    public QmpSession Session { get; }

    /// <summary>The command being run (as returned by <see cref="IQmpDispatcher.TryGetCommand"/>).</summary>
    public QmpCommandInfo Command { get; }

    /// <summary>True for <c>exec-oob</c> requests.</summary>
    public bool IsOutOfBand { get; }

    /// <summary>
    /// The fds that came with this command's message. <c>add-fd</c>/<c>getfd</c> call
    /// <see cref="QmpMessageFds.Take"/>; those not taken are closed after the command.
    /// </summary>
    public QmpMessageFds Fds { get; }

    /// <summary>Raw JSON of the request's "id" (empty when it had none); valid during the command only.</summary>
    public ReadOnlySpan<byte> RawId => _id.Span;

    /// <summary>
    /// Broadcasts an event to every negotiated session subscribed to the same event hub as this
    /// one (or only to this session when no hub subscribed it).
    /// </summary>
    /// <param name="name">The event's name.</param>
    /// <param name="state">What <paramref name="writeData"/> writes from.</param>
    /// <param name="writeData">Writes the event's "data" value; null: the event has none.</param>
    public void EmitEvent<TState>(string name, TState state, Action<Utf8JsonWriter, TState>? writeData)
    {
        if (Session.EventRoute is { } route)
        {
            route.Emit(name, state, writeData);
        }
        else
        {
            Session.SendEvent(name, state, writeData);
        }
    }

    /// <summary>Broadcasts an event without data.</summary>
    public void EmitEvent(string name) => EmitEvent<object?>(name, null, null);

    /// <summary>
    /// Runs <paramref name="callback"/> once this command's reply has been queued on the session,
    /// so whatever it sends or emits reaches the client after the reply (e.g. <c>quit</c>: reply
    /// first, then the SHUTDOWN event). It also runs when the command fails or sends no reply;
    /// it does not run if the session closed meanwhile.
    /// </summary>
    public void AfterReply(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        (_afterReply ??= new List<Action>()).Add(callback);
    }

    internal bool HasAfterReply => _afterReply is not null;

    internal void RunAfterReply()
    {
        if (_afterReply is null)
        {
            return;
        }
        foreach (Action callback in _afterReply)
        {
            callback();
        }
        _afterReply = null;
    }
}
