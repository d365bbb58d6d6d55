using System;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Common;

namespace QapiGen.Migration.Transports;

/// <summary>
/// The pipe to or from an exec child. Success needs the child to succeed too:
/// `cat > FILE` failing to write means the migration failed, even if every
/// byte went into the pipe.
/// </summary>
internal sealed class ExecChannel : StreamChannel
{
    private readonly Process _process;
    private int _killed;

    public ExecChannel(Process process, MigrationDirection direction, string description)
        : base(direction == MigrationDirection.Outgoing ? process.StandardInput.BaseStream : process.StandardOutput.BaseStream,
            ownsStream: true, description)
    {
        _process = process;
        Stream pipe = direction == MigrationDirection.Outgoing ? process.StandardInput.BaseStream : process.StandardOutput.BaseStream;
        if (pipe is PipeStream { SafePipeHandle: var handle })
        {
            // A 64 KiB pipe turns every 1 MiB write into 16 wake-ups of both sides;
            // 1 MiB (the default pipe-max-size) lets a whole chunk through at once.
            // Best effort: a smaller limit just leaves the default.
            using SafeHandleLease lease = new(handle);
            _ = Libc.Fcntl(lease.Fd, Libc.F_SETPIPE_SZ, 1 << 20);
        }
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await base.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (_process.ExitCode != 0)
        {
            throw new IOException($"'{Description}' exited with status {_process.ExitCode}");
        }
    }

    public override void Abort()
    {
        base.Abort();
        Kill();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        if (!_process.HasExited)
        {
            // An incoming child may still be writing; a source that stops early leaves
            // nobody to read, so do not wait for it to notice.
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 0)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }
    }
}
