using System;
using System.Collections.Generic;
using System.Globalization;
using QapiGen.Host.Chardevs;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Options;

/// <summary>
/// Parses QEMU-like options: <c>-qmp</c>/<c>--qmp</c>, <c>-qmp-pretty</c>, <c>-chardev</c>,
/// <c>-mon</c>, <c>-S</c>, <c>-m</c>, <c>-object memory-backend-*</c>, <c>-machine memory-backend=</c>,
/// <c>-incoming</c>, <c>--ram-from</c>, <c>--ram-dump-on-exit</c>, <c>--max-held-fds</c>, <c>--version</c>, <c>--help</c>. One or two dashes, value as the next
/// argument or after '='. Errors are <see cref="HostUsageException"/>s worded like QEMU's.
/// </summary>
public static class HostOptionsParser
{
    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        List<ChardevSpec> chardevs = new();
        List<MonitorSpec> monitors = new();
        bool paused = false, help = false, version = false;
        int compatMonitors = 0;
        long? ramSize = null;
        string? machineBackend = null, ramFrom = null, ramDump = null, incoming = null;
        int maxHeldFds = HostOptions.DefaultMaxHeldFds;
        List<MemoryBackendSpec> backends = new();

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith('-') || arg == "-" || arg == "--")
            {
                throw new HostUsageException($"{arg}: unexpected argument (options start with '-'; see --help)");
            }
            string name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            string option = "-" + name;

            switch (name)
            {
                case "h" or "help":
                    help = true;
                    break;
                case "version":
                    version = true;
                    break;
                case "S":
                    paused = true;
                    break;
                case "qmp" or "qmp-pretty":
                {
                    string value = Value(args, ref i, option, inline);
                    string id = "compat_monitor" + compatMonitors.ToString(CultureInfo.InvariantCulture);
                    compatMonitors++;
                    chardevs.Add(ParseQmpEndpoint(option, value, id));
                    monitors.Add(new MonitorSpec(null, id, name == "qmp-pretty"));
                    break;
                }
                case "chardev":
                    chardevs.Add(ParseChardev(option, Value(args, ref i, option, inline)));
                    break;
                case "mon":
                    monitors.Add(ParseMon(option, Value(args, ref i, option, inline)));
                    break;
                case "m":
                    ramSize = ParseRamSize(option, Value(args, ref i, option, inline));
                    break;
                case "object":
                    backends.Add(ParseObject(option, Value(args, ref i, option, inline)));
                    break;
                case "machine":
                    machineBackend = ParseMachine(option, Value(args, ref i, option, inline));
                    break;
                case "incoming":
                    incoming = ParseIncoming(option, Value(args, ref i, option, inline));
                    break;
                case "ram-from":
                    ramFrom = Value(args, ref i, option, inline);
                    break;
                case "ram-dump-on-exit":
                    ramDump = Value(args, ref i, option, inline);
                    break;
                case "max-held-fds":
                {
                    string value = Value(args, ref i, option, inline);
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out maxHeldFds) || maxHeldFds < 1)
                    {
                        throw new HostUsageException($"--max-held-fds {value}: expected a positive number of fds");
                    }
                    break;
                }
                default:
                    throw new HostUsageException($"{arg}: invalid option (see --help)");
            }
        }

        // Every chardev id once, and every -mon pointing at one that exists.
        HashSet<string> ids = new(StringComparer.Ordinal);
        foreach (ChardevSpec spec in chardevs)
        {
            if (!ids.Add(spec.Id))
            {
                throw new HostUsageException($"-chardev: duplicate chardev id '{spec.Id}'");
            }
        }
        foreach (MonitorSpec mon in monitors)
        {
            if (!ids.Contains(mon.Chardev))
            {
                throw new HostUsageException($"-mon chardev={mon.Chardev}: chardev '{mon.Chardev}' not found");
            }
        }

        bool useDefault = monitors.Count == 0 && !help && !version;
        if (useDefault)
        {
            chardevs.Add(new SocketChardevSpec("compat_monitor0", QmpEndpoint.Unix(HostOptions.DefaultQmpPath)));
            monitors.Add(new MonitorSpec(null, "compat_monitor0", false));
        }

        MachineOptions machine = BuildMachine(ramSize, backends, machineBackend) with { RamFrom = ramFrom, RamDumpOnExit = ramDump };

        return new HostOptions
        {
            Chardevs = chardevs,
            Monitors = monitors,
            StartPaused = paused,
            Machine = machine,
            Incoming = incoming,
            ShowHelp = help,
            ShowVersion = version,
            UsesDefaultMonitor = useDefault,
            MaxHeldFds = maxHeldFds,
        };
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option, string? inline)
    {
        if (inline is not null)
        {
            return inline;
        }
        if (i + 1 >= args.Count)
        {
            throw new HostUsageException($"{option}: requires an argument");
        }
        return args[++i];
    }

    /// <summary><c>-qmp unix:PATH[,server=on,wait=off] | tcp:HOST:PORT[,...] | stdio</c>.</summary>
    private static ChardevSpec ParseQmpEndpoint(string option, string value, string id)
    {
        QmpEndpoint endpoint;
        try
        {
            endpoint = QmpEndpoint.Parse(value);
        }
        catch (FormatException ex)
        {
            throw new HostUsageException($"{option} {ex.Message}");
        }
        foreach (string key in endpoint.Options.Keys)
        {
            if (key is not ("server" or "wait" or "nowait"))
            {
                throw new HostUsageException($"{option} {value}: Invalid parameter '{key}'");
            }
        }
        if (!endpoint.IsServer)
        {
            throw new HostUsageException($"{option} {value}: server=off (connecting out) is not supported; the host only listens");
        }
        return endpoint.Kind == QmpEndpointKind.Stdio
            ? new StdioChardevSpec(id)
            : new SocketChardevSpec(id, endpoint);
    }

    /// <summary>
    /// <c>-chardev socket,id=ID,path=P|host=H,port=P[,server=on][,wait=off]</c>,
    /// <c>-chardev file,id=ID,path=P[,append=on]</c>, <c>-chardev null,id=ID</c>, <c>-chardev stdio,id=ID</c>.
    /// </summary>
    private static ChardevSpec ParseChardev(string option, string value)
    {
        KeyValueList kv = KeyValueList.Parse(option, value, implicitFirst: true);
        string backend = kv.First ?? kv.Take("backend") ?? throw new HostUsageException($"{option} {value}: chardev backend is required");
        string id = kv.Take("id") ?? throw new HostUsageException($"{option} {value}: chardev: no id specified");
        ChardevSpec spec;
        switch (backend)
        {
            case "socket":
            {
                string? path = kv.Take("path");
                string? host = kv.Take("host");
                string? port = kv.Take("port");
                bool server = kv.TakeBool(option, "server") ?? false;
                kv.TakeBool(option, "wait");
                kv.TakeBool(option, "nowait");
                kv.TakeBool(option, "nodelay");
                if (!server)
                {
                    throw new HostUsageException($"{option} {value}: only server=on sockets are supported (the host only listens)");
                }
                if (path is not null)
                {
                    if (host is not null || port is not null)
                    {
                        throw new HostUsageException($"{option} {value}: give either path= or host=/port=, not both");
                    }
                    spec = new SocketChardevSpec(id, QmpEndpoint.Unix(path));
                }
                else if (port is not null)
                {
                    spec = new SocketChardevSpec(id, QmpEndpoint.Tcp(host ?? "", ParsePort(option, value, port)));
                }
                else
                {
                    throw new HostUsageException($"{option} {value}: chardev: socket: no host given");
                }
                break;
            }
            case "file":
            {
                string path = kv.Take("path") ?? throw new HostUsageException($"{option} {value}: chardev: file: no filename given");
                bool append = kv.TakeBool(option, "append") ?? false;
                spec = new FileChardevSpec(id, path, null, append);
                break;
            }
            case "null":
                spec = new NullChardevSpec(id);
                break;
            case "stdio":
                kv.TakeBool(option, "signal");
                spec = new StdioChardevSpec(id);
                break;
            default:
                throw new HostUsageException($"{option} {value}: '{backend}' is not a valid char driver name (supported: socket, file, null, stdio)");
        }
        kv.EnsureAllTaken(option);
        return spec;
    }

    /// <summary><c>-mon chardev=ID[,mode=control][,id=NAME][,pretty=on]</c>.</summary>
    private static MonitorSpec ParseMon(string option, string value)
    {
        KeyValueList kv = KeyValueList.Parse(option, value, implicitFirst: true);
        string chardev = kv.Take("chardev") ?? kv.First ?? throw new HostUsageException($"{option} {value}: Parameter 'chardev' is missing");
        string mode = kv.Take("mode") ?? "readline";
        if (mode == "readline")
        {
            throw new HostUsageException($"{option} {value}: mode=readline (HMP) is not supported; use mode=control");
        }
        if (mode != "control")
        {
            throw new HostUsageException($"{option} {value}: Parameter 'mode' does not accept value '{mode}'");
        }
        string? id = kv.Take("id");
        bool pretty = kv.TakeBool(option, "pretty") ?? false;
        kv.EnsureAllTaken(option);
        return new MonitorSpec(id, chardev, pretty);
    }

    /// <summary><c>-m [size=]SIZE</c>: QEMU's units (a bare number is MiB).</summary>
    private static long ParseRamSize(string option, string value)
    {
        KeyValueList kv = KeyValueList.Parse(option, value, implicitFirst: true);
        string size = kv.First ?? kv.Take("size") ?? throw new HostUsageException($"{option} {value}: Parameter 'size' is missing");
        kv.EnsureAllTaken(option);
        try
        {
            return RamSize.Parse(size);
        }
        catch (FormatException ex)
        {
            throw new HostUsageException($"{option} {value}: {ex.Message}");
        }
    }

    /// <summary><c>-object memory-backend-ram|memory-backend-memfd,id=ID[,size=SIZE][,share=on]</c>; no other object types.</summary>
    private static MemoryBackendSpec ParseObject(string option, string value)
    {
        KeyValueList kv = KeyValueList.Parse(option, value, implicitFirst: true);
        string type = kv.First ?? kv.Take("qom-type") ?? throw new HostUsageException($"{option} {value}: Parameter 'qom-type' is missing");
        string id = kv.Take("id") ?? throw new HostUsageException($"{option} {value}: Parameter 'id' is missing");
        GuestRamBacking backing = type switch
        {
            "memory-backend-ram" => GuestRamBacking.Anonymous,
            "memory-backend-memfd" => GuestRamBacking.Memfd,
            _ => throw new HostUsageException($"{option} {value}: invalid object type: {type} (supported: memory-backend-ram, memory-backend-memfd)"),
        };
        long? size = null;
        if (kv.Take("size") is { } text)
        {
            try
            {
                size = RamSize.Parse(text);
            }
            catch (FormatException ex)
            {
                throw new HostUsageException($"{option} {value}: {ex.Message}");
            }
        }
        // A memfd is always mapped shared (that is what it is for); private anonymous RAM cannot be.
        bool? share = kv.TakeBool(option, "share");
        if (share == true && backing == GuestRamBacking.Anonymous)
        {
            throw new HostUsageException($"{option} {value}: share=on needs memory-backend-memfd here");
        }
        if (share == false && backing == GuestRamBacking.Memfd)
        {
            throw new HostUsageException($"{option} {value}: memory-backend-memfd is always shared here; drop share=off or use memory-backend-ram");
        }
        kv.EnsureAllTaken(option);
        return new MemoryBackendSpec(id, backing, size);
    }

    /// <summary><c>-machine memory-backend=ID</c>: the only machine property modelled.</summary>
    private static string ParseMachine(string option, string value)
    {
        KeyValueList kv = KeyValueList.Parse(option, value, implicitFirst: true);
        if (kv.First is not null || kv.Take("type") is not null)
        {
            throw new HostUsageException($"{option} {value}: machine types are not modelled; only memory-backend=ID is supported");
        }
        string id = kv.Take("memory-backend") ?? throw new HostUsageException($"{option} {value}: Parameter 'memory-backend' is missing");
        kv.EnsureAllTaken(option);
        return id;
    }

    /// <summary><c>-incoming defer</c> or a URI, checked now so that a typo fails at start, as in QEMU.</summary>
    private static string ParseIncoming(string option, string value)
    {
        if (value == HostOptions.IncomingDefer)
        {
            return value;
        }
        try
        {
            MigrationUri.Parse(value);
        }
        catch (MigrationConfigurationException ex)
        {
            throw new HostUsageException($"{option} {value}: {ex.Message}");
        }
        return value;
    }

    /// <summary>-m and the memory backend agree on one size (QEMU refuses a mismatch, and so do we).</summary>
    private static MachineOptions BuildMachine(long? ramSize, List<MemoryBackendSpec> backends, string? backendId)
    {
        HashSet<string> ids = new(StringComparer.Ordinal);
        foreach (MemoryBackendSpec spec in backends)
        {
            if (!ids.Add(spec.Id))
            {
                throw new HostUsageException($"-object: attempt to add duplicate property '{spec.Id}' to object");
            }
        }
        if (backendId is null)
        {
            return new MachineOptions { RamSize = ramSize ?? MachineOptions.DefaultRamSize };
        }
        MemoryBackendSpec backend = backends.Find(b => b.Id == backendId)
            ?? throw new HostUsageException($"-machine memory-backend={backendId}: Memory backend '{backendId}' not found");
        long size = backend.Size ?? ramSize ?? MachineOptions.DefaultRamSize;
        if (ramSize is { } m && m != size)
        {
            throw new HostUsageException(
                $"-machine memory-backend={backendId}: the memory backend has size {RamSize.Format(size)} but -m asks for {RamSize.Format(m)}; give both the same size");
        }
        return new MachineOptions { RamSize = size, RamBacking = backend.Backing };
    }

    private static int ParsePort(string option, string value, string port)
    {
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > 65535)
        {
            throw new HostUsageException($"{option} {value}: invalid port '{port}'");
        }
        return number;
    }
}
