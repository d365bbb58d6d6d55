using System;
using System.IO;

namespace QapiGen.Schema.Tests;

/// <summary>Finds the repository root (the directory holding QapiGen.sln) and the reference data beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared/SUB</c> beside the repository, or null when the reference data is absent.</summary>
    public static string? SharedDirectory(string sub)
    {
        var dir = Path.GetFullPath(Path.Combine(Root, "..", "shared", sub));
        return Directory.Exists(dir) ? dir : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QapiGen.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("QapiGen.sln not found above " + AppContext.BaseDirectory);
    }
}
