using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>
/// A fact that needs the reference data in <c>../shared/SUB</c> beside the repository; it is
/// reported as skipped, with the reason, when that directory is absent (e.g. on a fresh clone).
/// </summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute(string sub)
    {
        if (RepoPaths.SharedDirectory(sub) == null)
            Skip = $"reference data ../shared/{sub} is absent";
    }
}

/// <summary>A theory over data in <c>../shared/SUB</c>; skipped with the reason when it is absent.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute(string sub)
    {
        if (RepoPaths.SharedDirectory(sub) == null)
            Skip = $"reference data ../shared/{sub} is absent";
    }
}
