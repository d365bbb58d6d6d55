using System;

namespace QapiGen.Runtime.Framing;

/// <summary>Limits applied while splitting the input stream into JSON messages.</summary>
public sealed record JsonFramingOptions
{
    /// <summary>Default options: 1 MiB per message, 64 levels of nesting.</summary>
    public static JsonFramingOptions Default { get; } = new();

    /// <summary>
    /// Largest message accepted, counted as the JSON text without insignificant whitespace
    /// (whitespace is never buffered, so it cannot be used to exhaust memory).
    /// Exceeding it yields the error "JSON token size limit exceeded" (QEMU's text for its
    /// own, larger limit) and the rest of the offending value is skipped.
    /// </summary>
    public int MaxMessageSize { get; init; } = 1024 * 1024;

    /// <summary>
    /// Deepest nesting of objects and arrays accepted. Exceeding it yields
    /// "JSON nesting depth limit exceeded" and the rest of the offending value is skipped.
    /// </summary>
    public int MaxDepth { get; init; } = 64;

    internal void Validate()
    {
        if (MaxMessageSize < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), "must be at least 16 bytes");
        }
        if (MaxDepth < 1 || MaxDepth > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDepth), "must be between 1 and 1000");
        }
    }
}
