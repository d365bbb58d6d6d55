namespace QapiGen.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input is invalid (or, for compat, something breaks).</summary>
    public const int Failed = 1;
    public const int Usage = 2;
}
