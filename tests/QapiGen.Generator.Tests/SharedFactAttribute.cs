using System.IO;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>A fact that needs the read-only reference data in <c>../shared</c> (beside the repository);
/// skipped, visibly, when it is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (SharedDir() == null)
            Skip = "../shared (reference data beside the repository) is absent";
    }

    /// <summary>The <c>../shared</c> directory, or null.</summary>
    public static string? SharedDir()
    {
        var root = Harness.RepoRoot();
        if (root == null)
            return null;
        var dir = Path.GetFullPath(Path.Combine(root, "..", "shared"));
        return Directory.Exists(dir) ? dir : null;
    }
}
