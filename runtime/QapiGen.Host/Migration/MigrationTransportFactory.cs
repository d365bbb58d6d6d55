using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Fds;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Transports;
using QapiGen.Runtime.Protocol;
using QapiAddress = QapiGen.Host.Qapi.MigrationAddress;
using SocketAddress = QapiGen.Host.Qapi.SocketAddress;

namespace QapiGen.Host.Migration;

/// <summary>
/// Opens what a <see cref="QapiAddress"/> names, for one direction. Fds are resolved first,
/// by what they are: an fd given as <c>fd:NAME</c> or a socket address of type <c>fd</c> becomes a file
/// transport when it is a plain file (so mapped-ram works) and a socket transport when it is a
/// socket; a <c>file</c> address refuses a socket. Capabilities are checked afterwards, against
/// what the fd turned out to be.
/// </summary>
internal sealed class MigrationTransportFactory
{
    private readonly FdSetRegistry _fdSets;
    private readonly NamedFds _namedFds;

    public MigrationTransportFactory(FdSetRegistry fdSets, NamedFds namedFds)
    {
        _fdSets = fdSets ?? throw new ArgumentNullException(nameof(fdSets));
        _namedFds = namedFds ?? throw new ArgumentNullException(nameof(namedFds));
    }

    /// <param name="address">Where to.</param>
    /// <param name="direction">Outgoing (migrate) or incoming (migrate-incoming, -incoming).</param>
    /// <param name="session">The calling session, whose getfd names <c>fd:NAME</c> refers to; null from the command line.</param>
    /// <param name="cancellationToken">Cancels name resolution.</param>
    /// <exception cref="QmpException">the address cannot be opened; the message says why.</exception>
    /// <exception cref="QapiGen.Migration.Transports.MigrationConfigurationException">a passed fd cannot carry a migration as named.</exception>
    public async ValueTask<PreparedTransport> PrepareAsync(QapiAddress address, MigrationDirection direction, QmpSession? session,
        CancellationToken cancellationToken)
    {
        switch (address)
        {
            case QapiAddress.Socket { Value: SocketAddress.Fd fd }:
            {
                SafeFileHandle handle = PassedFds.Take(_namedFds, session, fd.Str);
                // Resolve owns the handle from here on, and closes it if it throws.
                return new PreparedTransport(FdTransport.Resolve(handle, direction, FdUse.SocketAddress, $"fd '{fd.Str}'"));
            }
            case QapiAddress.Socket { Value: SocketAddress.Vsock }:
                throw QmpError.Generic("Migration over vsock is not supported by this host; use an inet or unix socket address").ToException();
            case QapiAddress.Socket { Value: var socket } when direction == MigrationDirection.Outgoing:
            {
                EndPoint endpoint = await SocketEndpoints.ResolveAsync(socket, cancellationToken).ConfigureAwait(false);
                return new PreparedTransport(SocketMigrationTransport.Connect(endpoint, SocketEndpoints.PeerName(socket)));
            }
            case QapiAddress.Socket { Value: var socket }:
            {
                (Socket listener, SocketAddress bound) = await SocketEndpoints.ListenAsync(socket, cancellationToken).ConfigureAwait(false);
                // The socket file goes when the migration is over (bound without .NET, nothing else removes it).
                IDisposable? socketFile = socket is SocketAddress.Unix { Abstract: not true } unix ? new ListeningSocketFile(unix.Path) : null;
                return new PreparedTransport(SocketMigrationTransport.Listen(listener, ownsListener: true), socketFile, listening: [bound]);
            }
            case QapiAddress.Exec exec:
                if (exec.Args.Count == 0)
                {
                    throw QmpError.Generic("Parameter 'args' expects the program to run and its arguments").ToException();
                }
                return new PreparedTransport(ExecTransport.FromArgs(exec.Args, direction));
            case QapiAddress.File file:
                return PrepareFile(file, direction);
            case QapiAddress.Rdma:
                throw QmpError.Generic("RDMA migration is not supported by this host; use a socket, file or exec address").ToException();
            default:
                throw QmpError.Generic($"Migration transport '{QapiJson.ToWire(address.Transport)}' is not supported").ToException();
        }
    }

    private PreparedTransport PrepareFile(QapiAddress.File file, MigrationDirection direction)
    {
        if (file.Offset > long.MaxValue)
        {
            throw QmpError.InvalidParameterValue("offset", "a file offset below 2^63").ToException();
        }
        long offset = (long)file.Offset;
        if (!FdSetRegistry.IsFdSetPath(file.Filename))
        {
            try
            {
                // Never waits: a FIFO's open, which waits for its other end, is left to the job.
                return new PreparedTransport(PathTransport.Open(file.Filename, direction, offset));
            }
            catch (IOException ex)
            {
                throw QmpError.Generic(ex.Message).ToException();
            }
        }

        // /dev/fdset/N: qemu_open()'s rule, a duplicate of the set's first fd whose access mode
        // fits (write-only or read-write outgoing, read-only or read-write incoming).
        FdSetLease lease;
        try
        {
            lease = _fdSets.Open(file.Filename, direction == MigrationDirection.Outgoing ? FileAccess.Write : FileAccess.Read);
        }
        catch (FdSetOpenException ex)
        {
            throw QmpError.Generic(ex.Message).ToException();
        }
        try
        {
            // The transport closes the lease's duplicate when the job ends and then releases the
            // lease attached to it (closing the same handle twice is harmless).
            MigrationTransport transport = FdTransport.Resolve(lease.Handle, direction, FdUse.File, file.Filename, offset);
            return new PreparedTransport(transport, lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }
}
