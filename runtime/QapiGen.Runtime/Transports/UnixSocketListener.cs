using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// A listening unix socket whose file is created with mode 0600: the QMP socket gives full
/// control of the process, so only its owner may connect. The mode is set between bind and
/// listen; until listen nobody can connect, so there is no window with looser permissions.
/// </summary>
public sealed class UnixSocketListener : QmpListener
{
    private readonly Socket _socket;
    private readonly int _maxFds;
    private int _disposed;

    /// <summary>Listens on a unix socket at <paramref name="path"/>, accepting up to <paramref name="maxFdsPerMessage"/> fds per message.</summary>
    public UnixSocketListener(string path, int maxFdsPerMessage = UnixSocketTransport.DefaultMaxFdsPerMessage)
    {
        Path = System.IO.Path.GetFullPath(path ?? throw new ArgumentNullException(nameof(path)));
        _maxFds = maxFdsPerMessage;
        // Like QEMU, replace a stale socket left behind by a previous run, but nothing else.
        if (Common.UnixFd.IsSocketPath(Path))
        {
            File.Delete(Path);
        }
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            _socket.Bind(new UnixDomainSocketEndPoint(Path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            _socket.Listen();
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override string Description => $"unix:{Path},server=on";

    /// <inheritdoc/>
    public override async ValueTask<QmpTransport> AcceptAsync(CancellationToken cancellationToken)
    {
        Socket client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new UnixSocketTransport(client, _maxFds);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return ValueTask.CompletedTask;
    }
}
