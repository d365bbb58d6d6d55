using System.Collections.Generic;
using QapiGen.Host.Chardevs;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Options;

/// <summary>Everything the host is started with: the parsed command line plus limits tests may tighten.</summary>
public sealed record HostOptions
{
    /// <summary>The socket the host serves when no monitor was asked for, relative to the working directory.</summary>
    public const string DefaultQmpPath = "./qmp.sock";

    public IReadOnlyList<ChardevSpec> Chardevs { get; init; } = [];

    public IReadOnlyList<MonitorSpec> Monitors { get; init; } = [];

    /// <summary>-S: start in <c>prelaunch</c> (stopped) instead of <c>running</c>; after an incoming migration, end <c>paused</c>.</summary>
    public bool StartPaused { get; init; }

    /// <summary>Guest RAM: <c>-m</c>, <c>-object memory-backend-*</c> with <c>-machine memory-backend=</c>, <c>--ram-from</c>, <c>--ram-dump-on-exit</c>.</summary>
    public MachineOptions Machine { get; init; } = MachineOptions.Default;

    /// <summary>
    /// <c>-incoming URI</c> (listen or read at start) or <c>-incoming defer</c> (wait for
    /// migrate-incoming); null without the option. Either way the machine starts <c>inmigrate</c>.
    /// </summary>
    public string? Incoming { get; init; }

    /// <summary>The value of <c>-incoming</c> that waits for migrate-incoming.</summary>
    public const string IncomingDefer = "defer";

    public bool ShowHelp { get; init; }

    public bool ShowVersion { get; init; }

    /// <summary>True when the default monitor was filled in because none was given.</summary>
    public bool UsesDefaultMonitor { get; init; }

    /// <summary>Largest request and deepest nesting accepted (each refused with a clear error).</summary>
    public JsonFramingOptions Framing { get; init; } = JsonFramingOptions.Default;

    /// <summary>Fds accepted with one message; more and the command is refused (QEMU: 16 per read).</summary>
    public int MaxFdsPerMessage { get; init; } = UnixSocketTransport.DefaultMaxFdsPerMessage;

    /// <summary>Fds received ahead of the command they go with, per session (the oldest are closed beyond).</summary>
    public int MaxPendingFds { get; init; } = 64;

    /// <summary>The default of <see cref="MaxHeldFds"/>.</summary>
    public const int DefaultMaxHeldFds = 1024;

    /// <summary>
    /// <c>--max-held-fds</c>: fds held in fdsets (add-fd) and named fds (getfd) together, at most;
    /// add-fd and getfd beyond it are refused. Whatever this says, fds are also refused while
    /// taking them would leave less than a reserve of the fd table free (see FdHeadroom).
    /// </summary>
    public int MaxHeldFds { get; init; } = DefaultMaxHeldFds;
}
