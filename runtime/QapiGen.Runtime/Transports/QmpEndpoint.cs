using System;
using System.Collections.Generic;
using System.Globalization;

namespace QapiGen.Runtime.Transports;

/// <summary>The kinds of <see cref="QmpEndpoint"/>.</summary>
public enum QmpEndpointKind
{
    /// <summary>A unix domain socket path.</summary>
    Unix,
    /// <summary>A TCP address.</summary>
    Tcp,
    /// <summary>The process's standard input and output.</summary>
    Stdio,
}

/// <summary>
/// An address in QEMU's -qmp/-chardev syntax: <c>unix:PATH[,server=on,wait=off]</c>,
/// <c>tcp:HOST:PORT[,...]</c> (HOST may be empty or a bracketed IPv6 address) or <c>stdio</c>.
/// Options are kept as given; <c>,,</c> stands for a literal comma, as in QEMU.
/// </summary>
public sealed record QmpEndpoint
{
    private QmpEndpoint(QmpEndpointKind kind, string? path, string? host, int port, IReadOnlyDictionary<string, string> options)
    {
        Kind = kind;
        Path = path;
        Host = host;
        Port = port;
        Options = options;
    }

    /// <summary>What kind of address this is.</summary>
    public QmpEndpointKind Kind { get; }

    /// <summary>Socket path for <see cref="QmpEndpointKind.Unix"/>.</summary>
    public string? Path { get; }

    /// <summary>Host for <see cref="QmpEndpointKind.Tcp"/> (empty: all interfaces).</summary>
    public string? Host { get; }

    /// <summary>Port for <see cref="QmpEndpointKind.Tcp"/> (0: pick a free one).</summary>
    public int Port { get; }

    /// <summary>Options after the address (<c>server</c>, <c>wait</c>, ...); bare flags map to "on".</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>True unless <c>server=off</c> was given (QMP endpoints here are served).</summary>
    public bool IsServer => !Options.TryGetValue("server", out string? v) || IsOn(v);

    /// <summary>QEMU's <c>wait</c>: whether startup blocks until a client connects (default on).</summary>
    public bool Wait => Options.TryGetValue("wait", out string? v) ? IsOn(v) : !Options.ContainsKey("nowait");

    /// <summary>A unix socket at <paramref name="path"/>.</summary>
    public static QmpEndpoint Unix(string path) => new(QmpEndpointKind.Unix, path, null, 0, new Dictionary<string, string>());

    /// <summary>A TCP address (<paramref name="host"/> empty: all interfaces).</summary>
    public static QmpEndpoint Tcp(string host, int port) => new(QmpEndpointKind.Tcp, null, host, port, new Dictionary<string, string>());

    /// <summary>Parses QEMU's syntax; <see cref="FormatException"/> for anything else.</summary>
    public static QmpEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<string> parts = QemuOptionList.Split(text);
        string address = parts[0];
        Dictionary<string, string> options = new(StringComparer.Ordinal);
        for (int i = 1; i < parts.Count; i++)
        {
            string part = parts[i];
            int eq = part.IndexOf('=');
            if (eq < 0)
            {
                options[part] = "on";
            }
            else
            {
                options[part[..eq]] = part[(eq + 1)..];
            }
        }

        if (address == "stdio")
        {
            return new QmpEndpoint(QmpEndpointKind.Stdio, null, null, 0, options);
        }
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            string path = address["unix:".Length..];
            if (path.Length == 0)
            {
                throw new FormatException($"'{text}': unix socket path is empty");
            }
            return new QmpEndpoint(QmpEndpointKind.Unix, path, null, 0, options);
        }
        if (address.StartsWith("tcp:", StringComparison.Ordinal))
        {
            string rest = address["tcp:".Length..];
            int colon = rest.LastIndexOf(':');
            if (colon < 0)
            {
                throw new FormatException($"'{text}': expected tcp:HOST:PORT");
            }
            string host = rest[..colon];
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }
            if (!int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            {
                throw new FormatException($"'{text}': invalid port");
            }
            return new QmpEndpoint(QmpEndpointKind.Tcp, null, host, port, options);
        }
        throw new FormatException($"'{text}': expected unix:PATH, tcp:HOST:PORT or stdio");
    }
    private static bool IsOn(string value) => value is "on" or "yes" or "true" or "y";

    /// <summary>The endpoint in QEMU's syntax.</summary>
    public override string ToString() => Kind switch
    {
        QmpEndpointKind.Unix => $"unix:{Path}",
        QmpEndpointKind.Tcp => Host!.Contains(':') ? $"tcp:[{Host}]:{Port}" : $"tcp:{Host}:{Port}",
        _ => "stdio",
    };
}
