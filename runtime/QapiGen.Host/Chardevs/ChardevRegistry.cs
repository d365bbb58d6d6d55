using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using QapiGen.Common;
using QapiGen.Host.Fds;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Chardevs;

/// <summary>
/// The host's chardevs by id, in creation order; created from the command line or by
/// chardev-add, removed by chardev-remove unless a frontend (monitor) uses them.
/// </summary>
public sealed class ChardevRegistry : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly List<Chardev> _chardevs = new();
    private readonly FdSetRegistry _fdSets;
    private readonly int _maxFdsPerMessage;
    private bool _disposed;

    public ChardevRegistry(FdSetRegistry fdSets, int maxFdsPerMessage)
    {
        _fdSets = fdSets ?? throw new ArgumentNullException(nameof(fdSets));
        _maxFdsPerMessage = maxFdsPerMessage;
    }

    public IReadOnlyList<Chardev> All
    {
        get
        {
            lock (_lock)
            {
                return _chardevs.ToArray();
            }
        }
    }

    public bool TryGet(string id, out Chardev chardev)
    {
        lock (_lock)
        {
            foreach (Chardev c in _chardevs)
            {
                if (c.Id == id)
                {
                    chardev = c;
                    return true;
                }
            }
        }
        chardev = null!;
        return false;
    }

    /// <summary>Creates and registers a chardev.</summary>
    /// <exception cref="QmpException">QEMU's texts: "Chardev with id 'X' already exists", "Failed to add chardev 'X': REASON".</exception>
    public Chardev Add(ChardevSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Checked before creating anything: a duplicate must not touch the socket path.
            if (TryGet(spec.Id, out _))
            {
                throw QmpError.Generic($"Chardev with id '{spec.Id}' already exists").ToException();
            }
            if (spec is FileChardevSpec or SocketChardevSpec && !FdHeadroom.HasRoomToOpen())
            {
                // Each takes fds for as long as it exists; the last free slots are the process's own.
                throw QmpError.Generic($"Failed to add chardev '{spec.Id}': the server is running out of file descriptors (RLIMIT_NOFILE {FdHeadroom.Limit})").ToException();
            }
            Chardev chardev;
            try
            {
                chardev = Create(spec);
            }
            catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException or NotSupportedException or FormatException)
            {
                throw QmpError.Generic($"Failed to add chardev '{spec.Id}': {Describe(spec, ex)}").ToException();
            }
            _chardevs.Add(chardev);
            return chardev;
        }
    }

    /// <summary>chardev-remove: refuses a chardev in use by a frontend.</summary>
    /// <exception cref="QmpException">"Chardev 'X' not found", "Chardev 'X' is busy".</exception>
    public async Task RemoveAsync(string id)
    {
        Chardev chardev;
        lock (_lock)
        {
            if (!TryGet(id, out chardev))
            {
                throw QmpError.Generic($"Chardev '{id}' not found").ToException();
            }
            if (chardev.Frontend is not null)
            {
                throw QmpError.Generic($"Chardev '{id}' is busy").ToException();
            }
            _chardevs.Remove(chardev);
        }
        await chardev.DisposeAsync().ConfigureAwait(false);
    }

    private Chardev Create(ChardevSpec spec) => spec switch
    {
        SocketChardevSpec socket => new SocketChardev(socket, _maxFdsPerMessage),
        FileChardevSpec file => FileChardev.Open(file, _fdSets),
        NullChardevSpec => new NullChardev(spec.Id),
        StdioChardevSpec => new StdioChardev(spec.Id),
        _ => throw new NotSupportedException($"backend {spec.GetType().Name} is not supported"),
    };

    private static string Describe(ChardevSpec spec, Exception ex)
    {
        if (ex is SocketException && spec is SocketChardevSpec { Endpoint: var endpoint })
        {
            return endpoint.Kind == QmpEndpointKind.Unix
                ? $"Failed to bind socket to {endpoint.Path}: {ex.Message}"
                : $"Failed to bind socket: {ex.Message}";
        }
        return ex.Message;
    }

    public async ValueTask DisposeAsync()
    {
        Chardev[] all;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            all = _chardevs.ToArray();
            _chardevs.Clear();
        }
        foreach (Chardev chardev in all)
        {
            await chardev.DisposeAsync().ConfigureAwait(false);
        }
    }
}
