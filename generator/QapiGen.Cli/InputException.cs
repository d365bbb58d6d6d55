using System;

namespace QapiGen.Cli;

/// <summary>
/// An input the verb cannot read (a missing schema file, a directory that is not there): reported as
/// <c>qapigen VERB: MESSAGE</c> with exit status 2, the same in every verb.
/// </summary>
public sealed class InputException : Exception
{
    public InputException(string message) : base(message) { }
}
