using System;
using System.Collections.Generic;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Server;

/// <summary>
/// What a <see cref="QmpServer"/> serves on: its endpoints, how many clients each serves at
/// once, the sessions' protocol options and the event hub. Configure it, then hand it to one
/// server (the listeners given to <see cref="Listen(QmpListener)"/> then belong to that server).
/// </summary>
public sealed class QmpServerOptions
{
    /// <summary>The default of <see cref="MaxClientsPerEndpoint"/>.</summary>
    public const int DefaultMaxClientsPerEndpoint = 16;

    private readonly List<object> _endpoints = new();
    private int _maxClients = DefaultMaxClientsPerEndpoint;

    /// <summary>
    /// Clients served at once on each endpoint (at least 1); the next one waits in the listen
    /// backlog and is greeted as soon as one leaves. 1 is exactly a QEMU monitor (one client,
    /// the next waiting); the default, <see cref="DefaultMaxClientsPerEndpoint"/>, serves the
    /// handful of managers and tools a library's users connect at once, while bounding what a
    /// burst of connections costs (each session of a unix socket has its own receive thread).
    /// Sessions are independent either way: negotiation, the out-of-band capability and
    /// <see cref="QmpSession.Items"/> (getfd-style named fds) belong to one connection.
    /// </summary>
    public int MaxClientsPerEndpoint
    {
        get => _maxClients;
        set => _maxClients = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one client must be served at a time.");
    }

    /// <summary>The sessions' protocol options (greeting version, dialect, limits, <see cref="QmpSessionOptions.UnhandledException"/>).</summary>
    public QmpSessionOptions Session { get; set; } = QmpSessionOptions.Default;

    /// <summary>The hub whose events every negotiated session receives; the server creates one when null.</summary>
    public QmpEventHub? Events { get; set; }

    /// <summary>Called when a client connected, before its greeting is sent.</summary>
    public Action<QmpSession>? SessionStarted { get; set; }

    /// <summary>Called after a client's session ended and released its connection.</summary>
    public Action<QmpSession>? SessionEnded { get; set; }

    /// <summary>
    /// Listens on <paramref name="endpoint"/> in QEMU's syntax (<c>unix:PATH</c>, <c>tcp:HOST:PORT</c>;
    /// see <see cref="QmpEndpoint.Parse"/>) once the server starts. A unix socket file is created
    /// with mode 0600 (a stale one replaced) and removed when the server stops.
    /// </summary>
    /// <returns>These options, to chain calls.</returns>
    public QmpServerOptions Listen(string endpoint)
    {
        QmpEndpoint parsed = QmpEndpoint.Parse(endpoint ?? throw new ArgumentNullException(nameof(endpoint)));
        if (!parsed.IsServer)
        {
            throw new ArgumentException($"{endpoint}: only server=on endpoints can be listened on", nameof(endpoint));
        }
        _endpoints.Add(parsed);
        return this;
    }

    /// <summary>Serves clients of <paramref name="listener"/>, which the server disposes when it stops.</summary>
    /// <returns>These options, to chain calls.</returns>
    public QmpServerOptions Listen(QmpListener listener)
    {
        _endpoints.Add(listener ?? throw new ArgumentNullException(nameof(listener)));
        return this;
    }

    /// <summary>The endpoints given so far, each a <see cref="QmpEndpoint"/> or a <see cref="QmpListener"/>.</summary>
    internal IReadOnlyList<object> Endpoints => _endpoints;
}
