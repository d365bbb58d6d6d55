using System;

namespace QapiGen.Migration.Format;

/// <summary>
/// The incoming side found something wrong with the stream; <see cref="Exception.Message"/>
/// is the text <c>query-migrate</c> reports as <c>error-desc</c>.
/// </summary>
public sealed class MigrationStreamException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationStreamException(MigrationStreamError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Creates the exception.</summary>
    public MigrationStreamException(MigrationStreamError error, string message, Exception inner)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>The category of failure.</summary>
    public MigrationStreamError Error { get; }
}
