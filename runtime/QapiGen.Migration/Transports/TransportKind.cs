namespace QapiGen.Migration.Transports;

/// <summary>The three shapes of transport, which decide what capabilities are possible.</summary>
public enum TransportKind
{
    /// <summary>Stream sockets: unix, tcp, or a socket fd. Multi-channel when the engine can open more connections.</summary>
    Socket,
    /// <summary>A byte stream that is neither a socket nor a file: exec pipes, a pipe fd, a host-supplied stream.</summary>
    Stream,
    /// <summary>A regular file: seekable, so mapped-ram is possible; multi-channel only with mapped-ram.</summary>
    File,
}
