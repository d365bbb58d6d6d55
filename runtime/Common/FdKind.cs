namespace QapiGen.Common;

/// <summary>
/// What an fd handed to the host really is. The rule: an fd given as <c>fd:NAME</c> or as a
/// socket address of type <c>fd</c> may turn out to be a plain file, so a migration transport is
/// chosen from what the fd is, never from how it was named.
/// </summary>
internal enum FdKind
{
    /// <summary>A regular file: seekable, so <c>mapped-ram</c> is possible.</summary>
    RegularFile,
    /// <summary>A socket (unix, tcp, vsock): a byte stream, one channel.</summary>
    Socket,
    /// <summary>A pipe or FIFO: a byte stream, one channel, not seekable.</summary>
    Pipe,
    /// <summary>A character device such as <c>/dev/null</c>: treated as a stream.</summary>
    CharacterDevice,
    /// <summary>A block device: seekable, but the engine does not migrate to one.</summary>
    BlockDevice,
    /// <summary>A directory: never a migration target.</summary>
    Directory,
    /// <summary>Anything else (symlink fds from O_PATH and the like).</summary>
    Other,
}
