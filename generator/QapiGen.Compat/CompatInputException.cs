using System;

namespace QapiGen.Compat;

/// <summary>
/// One side cannot be compared: a file that cannot be read, text that is neither a schema nor an
/// introspection reply, a schema error, a bad revision. Always located when a location is known.
/// </summary>
public sealed class CompatInputException : Exception
{
    public CompatInputException(string message, SourceLocation? location = null, string? detail = null, string? hint = null)
        : base(message)
    {
        Location = location;
        Detail = detail ?? message;
        Hint = hint;
    }

    /// <summary>Where the problem is; null for problems of no file (a bad revision).</summary>
    public SourceLocation? Location { get; }

    /// <summary>The problem without location and context (<see cref="Exception.Message"/> has the full text).</summary>
    public string Detail { get; }

    /// <summary>What to do about it, when the tool can tell (e.g. use --lenient).</summary>
    public string? Hint { get; }
}
