using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Migration.Transports;

/// <summary>
/// <c>exec:CMD</c>: the stream goes to a child's stdin (outgoing) or comes from
/// its stdout (incoming). The legacy URI runs <c>/bin/sh -c CMD</c>; the
/// channels API gives an argv list, run as is.
/// </summary>
public sealed class ExecTransport : MigrationTransport
{
    private readonly IReadOnlyList<string> _argv;
    private readonly MigrationDirection _direction;
    private ExecChannel? _channel;

    private ExecTransport(IReadOnlyList<string> argv, MigrationDirection direction, string description)
    {
        _argv = argv;
        _direction = direction;
        Description = description;
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override TransportKind Kind => TransportKind.Stream;

    /// <inheritdoc />
    public override MigrationDirection? Direction => _direction;

    /// <inheritdoc />
    public override bool SupportsMultipleChannels => false;

    /// <summary>The legacy <c>exec:</c> URI: <c>/bin/sh -c <paramref name="command"/></c>.</summary>
    public static ExecTransport FromShellCommand(string command, MigrationDirection direction)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        return new ExecTransport(["/bin/sh", "-c", command], direction, $"exec:{command}");
    }

    /// <summary>The channels API's <c>exec</c> transport: an argv list.</summary>
    public static ExecTransport FromArgs(IReadOnlyList<string> argv, MigrationDirection direction)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0)
        {
            throw new ArgumentException("exec needs at least a program name", nameof(argv));
        }

        return new ExecTransport(argv, direction, $"exec:{string.Join(' ', argv)}");
    }

    internal override ValueTask<MigrationChannel> OpenChannelAsync(MigrationDirection direction, CancellationToken cancellationToken)
    {
        if (_channel is not null)
        {
            throw new InvalidOperationException($"{Description} carries a single channel");
        }

        var info = new ProcessStartInfo(_argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = direction == MigrationDirection.Outgoing,
            RedirectStandardOutput = direction == MigrationDirection.Incoming,
        };
        for (int i = 1; i < _argv.Count; i++)
        {
            info.ArgumentList.Add(_argv[i]);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new System.IO.IOException($"Failed to run '{Description}': {e.Message}", e);
        }

        _channel = new ExecChannel(process, direction, Description);
        return ValueTask.FromResult<MigrationChannel>(_channel);
    }

    internal override void Abort() => _channel?.Abort();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
        }
    }
}
