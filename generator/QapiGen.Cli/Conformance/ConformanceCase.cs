namespace QapiGen.Cli.Conformance;

/// <summary>The outcome of one test-suite case: <c>NAME.json</c> against <c>NAME.out</c> and <c>NAME.err</c>.</summary>
public sealed record ConformanceCase(string Name, ConformanceOutcome Outcome, string ExpectedOut, string ActualOut, string ExpectedErr, string ActualErr, string? Reason = null);

public enum ConformanceOutcome
{
    Passed,
    Failed,
    /// <summary>A listed known difference: reported with its reason, counted apart.</summary>
    Skipped,
}
