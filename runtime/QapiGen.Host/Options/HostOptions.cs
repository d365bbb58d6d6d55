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

    /// <summary>-S: start in <c>prelaunch</c> (stopped) instead of <c>running</c>.</summary>
    public bool StartPaused { get; init; }

    public bool ShowHelp { get; init; }

    public bool ShowVersion { get; init; }

    /// <summary>True when the default monitor was filled in because none was given.</summary>
    public bool UsesDefaultMonitor { get; init; }

    /// <summary>Largest request and deepest nesting accepted (each refused with a clear error).</summary>
    public JsonFramingOptions Framing { get; init; } = JsonFramingOptions.Default;

    /// <summary>Fds accepted with one message; more and the command is refused (QEMU: 16 per read).</summary>
    public int MaxFdsPerMessage { get; init; } = SocketTransport.DefaultMaxFdsPerMessage;

    /// <summary>Fds received but not yet claimed by add-fd/getfd, per session (the oldest is closed beyond).</summary>
    public int MaxPendingFds { get; init; } = 64;
}
