using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Host.Chardevs;
using QapiGen.Host.Monitors;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Handlers;

/// <summary>chardev-add, chardev-remove, query-chardev.</summary>
public sealed partial class HostCommands
{
    public ValueTask<IReadOnlyList<ChardevInfo>> QueryChardevAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<Chardev> all = _host.Chardevs.All;
        List<ChardevInfo> result = new(all.Count);
        foreach (Chardev chardev in all)
        {
            HostMonitor? monitor = chardev.Frontend as HostMonitor;
            result.Add(new ChardevInfo
            {
                Label = chardev.Id,
                Filename = chardev.DescribeFilename(monitor?.CurrentSession),
                FrontendOpen = monitor is not null,
            });
        }
        return ValueTask.FromResult<IReadOnlyList<ChardevInfo>>(result);
    }

    public ValueTask<ChardevReturn> ChardevAddAsync(QmpCommandContext context, string id, ChardevBackend backend, CancellationToken cancellationToken)
    {
        _host.Chardevs.Add(ToSpec(id, backend));
        return ValueTask.FromResult(new ChardevReturn());
    }

    public async ValueTask ChardevRemoveAsync(QmpCommandContext context, string id, CancellationToken cancellationToken) =>
        await _host.Chardevs.RemoveAsync(id).ConfigureAwait(false);

    /// <summary>The wire description → the host's spec; backends and options the host lacks are refused clearly.</summary>
    private static ChardevSpec ToSpec(string id, ChardevBackend backend)
    {
        switch (backend)
        {
            case ChardevBackend.Null:
                return new NullChardevSpec(id);
            case ChardevBackend.File { Data: var file }:
                return new FileChardevSpec(id, file.Out, file.In, file.Append ?? false);
            case ChardevBackend.Socket { Data: var socket }:
                if (socket.Server == false)
                {
                    throw Unsupported(id, "only server sockets are supported (the host never connects out)");
                }
                if (socket.Reconnect is not null)
                {
                    throw Unsupported(id, "'reconnect' only applies to client sockets");
                }
                return socket.Addr switch
                {
                    SocketAddressLegacy.Unix { Data: var unix } when unix.Abstract != true =>
                        new SocketChardevSpec(id, QmpEndpoint.Unix(unix.Path)),
                    SocketAddressLegacy.Inet { Data: var inet } =>
                        new SocketChardevSpec(id, QmpEndpoint.Tcp(inet.Host, ParsePort(id, inet.Port))),
                    _ => throw Unsupported(id, $"socket address type '{Wire(socket.Addr)}' is not supported (unix and inet are)"),
                };
            default:
                throw Unsupported(id, "backend not supported");
        }
    }

    private static int ParsePort(string id, string port)
    {
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > 65535)
        {
            throw Unsupported(id, $"port '{port}' is not a number (service names are not looked up)");
        }
        return number;
    }

    private static string Wire(SocketAddressLegacy address) => address switch
    {
        SocketAddressLegacy.Unix => "unix (abstract)",
        SocketAddressLegacy.Vsock => "vsock",
        SocketAddressLegacy.Fd => "fd",
        _ => "inet",
    };

    private static QmpException Unsupported(string id, string why) =>
        QmpError.Generic($"Failed to add chardev '{id}': {why}").ToException();
}
