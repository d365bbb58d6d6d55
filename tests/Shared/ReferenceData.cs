using System;
using System.IO;
using Xunit;

namespace QapiGen.Tests.Shared;

/// <summary>
/// The repository root (the directory holding QapiGen.sln) and the read-only reference data in
/// <c>../shared</c> beside it. One file, linked into every test project that reads that data.
/// </summary>
public static class RepoPaths
{
    /// <summary>The repository root, found above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared/SUB</c> beside the repository, or null when the reference data is absent.</summary>
    public static string? SharedDirectory(string sub)
    {
        string dir = Path.GetFullPath(Path.Combine(Root, "..", "shared", sub));
        return Directory.Exists(dir) ? dir : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QapiGen.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("QapiGen.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// A fact that needs the reference data in <c>../shared/SUB</c>; reported as skipped, with the
/// reason, when that directory is absent (e.g. on a fresh clone). CI has it and runs the fact.
/// </summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute(string sub)
    {
        if (RepoPaths.SharedDirectory(sub) == null)
        {
            Skip = $"reference data ../shared/{sub} is absent";
        }
    }
}

/// <summary>A theory over data in <c>../shared/SUB</c>; skipped with the reason when it is absent.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute(string sub)
    {
        if (RepoPaths.SharedDirectory(sub) == null)
        {
            Skip = $"reference data ../shared/{sub} is absent";
        }
    }
}
