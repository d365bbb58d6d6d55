namespace QapiGen.Cli;

/// <summary>
/// The exit statuses of every verb (docs/cli.md). 1 is the verb's "no" and nothing else, so a script
/// or CI gate can tell a negative answer from a run that did not happen.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The answer is no: the schema or a template has an error, compat found a break, a conformance case failed.</summary>
    public const int Failed = 1;

    /// <summary>
    /// The verb could not run: a bad command line, or a file that cannot be read or written (for compat
    /// also a side that does not load: its 1 means "breaks" only).
    /// </summary>
    public const int Usage = 2;

    /// <summary>A failure of the tool itself (a bug), never a verdict on the input (sysexits' EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as a shell reports it).</summary>
    public const int Cancelled = 130;
}
