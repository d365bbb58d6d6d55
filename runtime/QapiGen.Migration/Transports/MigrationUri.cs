using System;
using System.Globalization;

namespace QapiGen.Migration.Transports;

/// <summary>
/// Parses the legacy <c>uri</c> argument of <c>migrate</c> / <c>migrate-incoming</c>
/// and <c>-incoming</c>, with QEMU's error texts.
/// </summary>
public static class MigrationUri
{
    /// <summary>Parses <c>tcp:</c>, <c>unix:</c>, <c>fd:</c>, <c>file:</c> and <c>exec:</c> URIs.</summary>
    /// <exception cref="MigrationConfigurationException">Unknown scheme or malformed address.</exception>
    public static MigrationAddress Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.StartsWith("tcp:", StringComparison.Ordinal))
        {
            string rest = uri[4..];
            int colon = rest.LastIndexOf(':');
            // "tcp::4444" (empty host) is QEMU's usual "-incoming" form: listen on every address.
            string host = colon > 0 ? rest[..colon].Trim('[', ']') : string.Empty;
            if (colon < 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            {
                throw new MigrationConfigurationException($"Invalid migration address '{uri}': expected tcp:HOST:PORT");
            }

            return new InetMigrationAddress(host, port);
        }

        if (uri.StartsWith("unix:", StringComparison.Ordinal) && uri.Length > 5)
        {
            return new UnixMigrationAddress(uri[5..]);
        }

        if (uri.StartsWith("fd:", StringComparison.Ordinal) && uri.Length > 3)
        {
            return new FdMigrationAddress(uri[3..]);
        }

        if (uri.StartsWith("exec:", StringComparison.Ordinal) && uri.Length > 5)
        {
            return new ExecMigrationAddress(["/bin/sh", "-c", uri[5..]]);
        }

        if (uri.StartsWith("file:", StringComparison.Ordinal) && uri.Length > 5)
        {
            string rest = uri[5..];
            int comma = rest.IndexOf(",offset=", StringComparison.Ordinal);
            if (comma < 0)
            {
                return new FileMigrationAddress(rest, 0);
            }

            string text = rest[(comma + 8)..];
            if (comma == 0 || !TryParseSize(text, out long offset))
            {
                throw new MigrationConfigurationException($"file URI has invalid offset {text}");
            }

            return new FileMigrationAddress(rest[..comma], offset);
        }

        throw new MigrationConfigurationException($"unknown migration protocol: {uri}");
    }

    // QEMU accepts plain numbers and size suffixes for the offset.
    private static bool TryParseSize(string text, out long value)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        try
        {
            value = text.Length > 1 && char.IsLetter(text[^1]) ? Machine.RamSize.Parse(text) : -1;
            return value >= 0;
        }
        catch (FormatException)
        {
            value = -1;
            return false;
        }
    }
}
