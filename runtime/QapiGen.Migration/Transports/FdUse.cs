namespace QapiGen.Migration.Transports;

/// <summary>
/// How the client named an fd it passed for migration. The name only decides what may be refused
/// (the file transport refuses a socket); what the fd is decides the transport.
/// </summary>
public enum FdUse
{
    /// <summary>
    /// <c>fd:NAME</c> or a socket address of type <c>fd</c>: historically "a
    /// socket", but a plain file is accepted and migrated as a file.
    /// </summary>
    SocketAddress,
    /// <summary>The <c>file</c> transport (e.g. <c>/dev/fdset/N</c>): must be a plain file.</summary>
    File,
}
