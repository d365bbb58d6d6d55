using System;
using System.Threading;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The file descriptors that came over SCM_RIGHTS with the message a command arrived in. A
/// command that needs one (<c>getfd</c>, <c>add-fd</c>) calls <see cref="Take"/>: it gets the
/// first, and the others that came with it are closed (QEMU's <c>qemu_chr_fe_get_msgfd()</c>).
/// Whatever the command did not take is closed once it has run (for a message carrying several
/// commands, once the last of them has), so fds never wait for a later command.
/// </summary>
public sealed class QmpMessageFds : IDisposable
{
    internal static readonly QmpMessageFds None = new([]);

    private readonly ReceivedFdBatch[] _batches;
    private int _released;

    internal QmpMessageFds(ReceivedFdBatch[] batches)
    {
        _batches = batches;
        foreach (ReceivedFdBatch batch in batches)
        {
            if (batch.Rejection != FdRejection.None)
            {
                Rejection = batch.Rejection;
                break;
            }
        }
    }

    /// <summary>Fds still available to this command.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (ReceivedFdBatch batch in _batches)
            {
                count += batch.Remaining;
            }
            return count;
        }
    }

    /// <summary>Why the fds of this message were refused on arrival, if they were (the command is then not run).</summary>
    internal FdRejection Rejection { get; }

    /// <summary>Claims the first fd (the caller owns it from now on; dispose closes it); the rest of its batch is closed.</summary>
    public bool TryTake(out SafeFileHandle fd)
    {
        foreach (ReceivedFdBatch batch in _batches)
        {
            if (batch.TryTakeFirst(out fd))
            {
                return true;
            }
        }
        fd = null!;
        return false;
    }

    /// <summary>Claims the first fd or fails with QEMU's "No file descriptor supplied via SCM_RIGHTS".</summary>
    public SafeFileHandle Take()
    {
        if (!TryTake(out SafeFileHandle fd))
        {
            throw QmpError.NoFileDescriptor.ToException();
        }
        return fd;
    }

    /// <summary>The command has run (or was dropped): fds no other command of the message can still take are closed.</summary>
    public void Dispose()
    {
        if (_batches.Length == 0 || Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }
        foreach (ReceivedFdBatch batch in _batches)
        {
            batch.Release();
        }
    }
}
