namespace QapiGen.Cli.Commands;

/// <summary><c>qapigen check SCHEMA</c>: exit 0 when valid, else print the first error and exit 1.</summary>
public static class CheckCommand
{
    public static int Run(string[] args)
    {
        SchemaLoading.LoadForVerb(args, out var exitCode);
        return exitCode;
    }
}
