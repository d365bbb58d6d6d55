using System;
using System.Text.Json;
using System.Threading;
using QapiGen.Runtime.Buffers;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Runtime.Server;

/// <summary>
/// Broadcasts events to every negotiated session of a server (QEMU's monitor_qapi_event_emit
/// to all QMP monitors). Thread-safe: emit from any thread. Each event is serialised once,
/// with one timestamp, and the same bytes are queued on every session.
/// </summary>
public sealed class QmpEventHub : IQmpEventRoute
{
    private readonly TimeProvider _clock;
    private readonly object _lock = new();
    private QmpSession[] _sessions = [];

    /// <summary>A hub timestamping events with <paramref name="clock"/> (the system clock when null).</summary>
    public QmpEventHub(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Sessions currently receiving events (negotiated and open).</summary>
    public int SessionCount => Volatile.Read(ref _sessions).Length;

    /// <summary>Emits an event whose data is written by <paramref name="writeData"/> (null: no "data").</summary>
    public void Emit<TState>(string name, TState state, Action<Utf8JsonWriter, TState>? writeData)
    {
        QmpSession[] sessions = Volatile.Read(ref _sessions);
        if (sessions.Length == 0)
        {
            return;
        }
        JsonMessageWriter writer = new();
        QmpMessages.WriteEvent(writer.Begin(), name, _clock.GetUtcNow(), state, writeData);
        using PooledBufferWriter buffer = writer.Finish();
        // One immutable copy shared by all sessions; the pooled buffer goes back at once.
        ReadOnlyMemory<byte> line = buffer.WrittenSpan.ToArray();
        foreach (QmpSession session in sessions)
        {
            session.SendSerializedEvent(line);
        }
    }

    /// <summary>Emits an event without data.</summary>
    public void Emit(string name) => Emit<object?>(name, null, null);

    /// <summary>Emits an event with a JSON object as data.</summary>
    public void Emit(string name, JsonElement data) => Emit(name, data, static (w, d) => d.WriteTo(w));

    /// <summary>
    /// Sends this hub's events to <paramref name="session"/> until it ends, and routes the
    /// events its commands emit (<see cref="QmpCommandContext.EmitEvent{TState}"/>) through the
    /// hub. Meant for a negotiated session: pass it to <see cref="QmpSession.OnNegotiated"/>
    /// (a <see cref="QmpMonitor"/> does so for its sessions).
    /// </summary>
    public void Subscribe(QmpSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.EventRoute = this;
        session.Unsubscribing += Unregister;
        Register(session);
    }

    private void Register(QmpSession session)
    {
        lock (_lock)
        {
            if (Array.IndexOf(_sessions, session) < 0)
            {
                QmpSession[] next = new QmpSession[_sessions.Length + 1];
                _sessions.CopyTo(next, 0);
                next[^1] = session;
                Volatile.Write(ref _sessions, next);
            }
        }
    }

    private void Unregister(QmpSession session)
    {
        lock (_lock)
        {
            int index = Array.IndexOf(_sessions, session);
            if (index < 0)
            {
                return;
            }
            QmpSession[] next = new QmpSession[_sessions.Length - 1];
            Array.Copy(_sessions, 0, next, 0, index);
            Array.Copy(_sessions, index + 1, next, index, _sessions.Length - index - 1);
            Volatile.Write(ref _sessions, next);
        }
    }
}
