using System;

namespace QapiGen.Migration.Transports;

/// <summary>
/// A migration cannot start as configured. Raised before anything is opened or
/// sent; the message says what to change and is meant for the QMP error reply.
/// </summary>
public sealed class MigrationConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationConfigurationException(string message)
        : base(message)
    {
    }
}
