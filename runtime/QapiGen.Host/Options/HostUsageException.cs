using System;

namespace QapiGen.Host.Options;

/// <summary>A bad command line: the message is printed after the program name and the host exits with 1.</summary>
public sealed class HostUsageException : Exception
{
    public HostUsageException(string message)
        : base(message)
    {
    }
}
