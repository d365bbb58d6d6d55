using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Migration.Transports;

/// <summary>A single byte stream supplied by the host (a pipe fd, a character device, a test stream).</summary>
public sealed class StreamMigrationTransport : MigrationTransport
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private int _opened;

    /// <summary>Wraps a stream; with <paramref name="ownsStream"/> the engine closes it when done.</summary>
    public StreamMigrationTransport(Stream stream, bool ownsStream = true, string description = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _ownsStream = ownsStream;
        Description = description;
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override TransportKind Kind => TransportKind.Stream;

    /// <inheritdoc />
    public override MigrationDirection? Direction => null;

    /// <inheritdoc />
    public override bool SupportsMultipleChannels => false;

    internal override ValueTask<MigrationChannel> OpenChannelAsync(MigrationDirection direction, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _opened, 1) != 0)
        {
            throw new InvalidOperationException($"{Description} carries a single channel");
        }

        return ValueTask.FromResult<MigrationChannel>(new StreamChannel(_stream, ownsStream: false, Description));
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
