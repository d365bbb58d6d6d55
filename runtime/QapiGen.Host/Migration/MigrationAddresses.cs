using System.Collections.Generic;
using System.Globalization;
using QapiGen.Host.Qapi;
using QapiGen.Migration.Transports;
using QapiGen.Runtime.Protocol;
using EngineAddress = QapiGen.Migration.Transports.MigrationAddress;
using MigrationChannel = QapiGen.Host.Qapi.MigrationChannel;
using QapiAddress = QapiGen.Host.Qapi.MigrationAddress;

namespace QapiGen.Host.Migration;

/// <summary>
/// The two ways to say where a migration goes, reduced to one: the channels API's
/// <see cref="QapiAddress"/>. The legacy <c>uri</c> is parsed into the same structure first, as
/// QEMU's migrate_uri_parse() does, so everything after this point handles one shape.
/// </summary>
internal static class MigrationAddresses
{
    /// <summary>Exactly one of <paramref name="uri"/> and <paramref name="channels"/>, with QEMU's errors.</summary>
    /// <param name="command">"migrate" or "migrate-incoming", for the messages.</param>
    /// <exception cref="QmpException">both, neither, not exactly one channel, or a bad URI.</exception>
    public static QapiAddress FromArguments(string? uri, IReadOnlyList<MigrationChannel>? channels, string command)
    {
        if (uri is not null && channels is not null)
        {
            throw QmpError.Generic(
                $"'uri' and 'channels' arguments are mutually exclusive; exactly one of the two should be present in '{command}' qmp command").ToException();
        }
        if (channels is not null)
        {
            if (channels.Count != 1)
            {
                throw QmpError.Generic(channels.Count == 0
                    ? "Channel list is empty: give one channel of type 'main'"
                    : "Channel list has more than one entries").ToException();
            }
            return channels[0].Addr;
        }
        if (uri is null)
        {
            throw QmpError.Generic($"neither 'uri' or 'channels' argument are specified in '{command}' qmp command").ToException();
        }
        return FromUri(uri);
    }

    /// <summary>A legacy URI as a channels-API address.</summary>
    /// <exception cref="QmpException">unknown scheme or malformed address (QEMU's texts).</exception>
    public static QapiAddress FromUri(string uri)
    {
        EngineAddress parsed;
        try
        {
            parsed = MigrationUri.Parse(uri);
        }
        catch (MigrationConfigurationException ex)
        {
            throw QmpError.Generic(ex.Message).ToException();
        }
        return parsed switch
        {
            InetMigrationAddress inet => new QapiAddress.Socket
            {
                Value = new SocketAddress.Inet { Host = inet.Host, Port = inet.Port.ToString(CultureInfo.InvariantCulture) },
            },
            UnixMigrationAddress unix => new QapiAddress.Socket { Value = new SocketAddress.Unix { Path = unix.Path } },
            FdMigrationAddress fd => new QapiAddress.Socket { Value = new SocketAddress.Fd { Str = fd.Name } },
            FileMigrationAddress file => new QapiAddress.File { Filename = file.Filename, Offset = (ulong)file.Offset },
            ExecMigrationAddress exec => new QapiAddress.Exec { Args = exec.Args },
            _ => throw QmpError.Generic($"unknown migration protocol: {uri}").ToException(),
        };
    }
}
