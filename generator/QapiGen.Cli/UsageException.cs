using System;

namespace QapiGen.Cli;

/// <summary>Bad command-line arguments: reported with the verb's usage lines, exit status 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
