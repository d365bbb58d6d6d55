using System;
using Microsoft.Win32.SafeHandles;

namespace QapiGen.Runtime.Transports;

/// <summary>Why the fds of a read were refused (closed on arrival): the message that carried them is answered with an error.</summary>
internal enum FdRejection
{
    None,

    /// <summary>More fds than the transport accepts with one message (the kernel closed the excess).</summary>
    TooMany,

    /// <summary>The process is (nearly) out of fd slots: the kernel could not install them all, or keeping them would leave no room.</summary>
    NoRoom,
}

/// <summary>
/// The fds that came with one read of a unix socket, and which messages may claim them.
/// </summary>
/// <remarks>
/// <para>QEMU 7.2 keeps the fds of the last read on the chardev; a command that takes one
/// (<c>getfd</c>, <c>add-fd</c>: <c>qemu_chr_fe_get_msgfd()</c>) gets the first and the others are
/// closed then. Here a batch is offered to every message whose bytes came in that read, from
/// the first (whose end is at or after <see cref="StartAnchor"/>) to the last (whose end is at
/// or after <see cref="EndAnchor"/>): the first of them that takes an fd gets the first one, the
/// rest are closed; whatever nobody took is closed once the last of those messages has run, so
/// fds never outlive the message they came with.</para>
/// <para>Each message holds a reference while it runs; the one reaching <see cref="EndAnchor"/>
/// seals the batch. Thread-safe: in-band and out-of-band commands may hold the same batch.</para>
/// </remarks>
internal sealed class ReceivedFdBatch
{
    private readonly SafeFileHandle[] _fds;
    private int _next;
    private int _references;
    private bool _sealed;

    public ReceivedFdBatch(long startAnchor, long endAnchor, SafeFileHandle[] fds, FdRejection rejection)
    {
        StartAnchor = startAnchor;
        EndAnchor = endAnchor;
        _fds = fds;
        Rejection = rejection;
    }

    /// <summary>Stream offset just past the read's first non-whitespace byte (one past its start if it had none).</summary>
    public long StartAnchor { get; }

    /// <summary>Stream offset just past the read's last non-whitespace byte (one past its start if it had none).</summary>
    public long EndAnchor { get; }

    public FdRejection Rejection { get; }

    /// <summary>Fds still open and not taken.</summary>
    public int Remaining
    {
        get
        {
            lock (_fds)
            {
                return _fds.Length - _next;
            }
        }
    }

    /// <summary>A message of this read is about to run; <paramref name="last"/> when it is the read's last.</summary>
    public void AddReference(bool last)
    {
        lock (_fds)
        {
            _references++;
            _sealed |= last;
        }
    }

    /// <summary>That message has run: once the last one has, the fds nobody took are closed.</summary>
    public void Release()
    {
        lock (_fds)
        {
            _references--;
            if (_references > 0 || !_sealed)
            {
                return;
            }
        }
        CloseRemaining();
    }

    /// <summary>QEMU's <c>tcp_get_msgfds()</c> for one fd: the first is handed over (the caller owns it), the others closed.</summary>
    public bool TryTakeFirst(out SafeFileHandle fd)
    {
        lock (_fds)
        {
            if (_next >= _fds.Length)
            {
                fd = null!;
                return false;
            }
            fd = _fds[_next++];
        }
        CloseRemaining();
        return true;
    }

    /// <summary>Every fd not taken out, for a reader that wants them all (the client side).</summary>
    public void TakeAll(System.Collections.Generic.List<SafeFileHandle> destination)
    {
        lock (_fds)
        {
            for (; _next < _fds.Length; _next++)
            {
                destination.Add(_fds[_next]);
            }
        }
    }

    /// <summary>Closes the fds not taken (also when the connection ends before a message claimed them).</summary>
    public void CloseRemaining()
    {
        int from, to;
        lock (_fds)
        {
            from = _next;
            to = _fds.Length;
            _next = to;
        }
        for (int i = from; i < to; i++)
        {
            _fds[i].Dispose();
        }
    }
}
