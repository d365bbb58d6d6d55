using System.IO;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>
/// Where the reference data lives: <c>../shared</c> beside the repository root (the directory
/// holding QapiGen.sln). Tests that need it are skipped, with the reason shown, when it is absent.
/// </summary>
internal static class SharedData
{
    public static string? QemuSchemas { get; } = Find();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(System.AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QapiGen.sln")))
            {
                var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "qemu-schemas"));
                return Directory.Exists(path) ? path : null;
            }
        }
        return null;
    }

    public static string Schema(string version) => Path.Combine(QemuSchemas!, version, "qapi-schema.json");
}

/// <summary>A theory over the real QEMU schemas in ../shared/qemu-schemas; skipped visibly when absent.</summary>
public sealed class QemuSchemasTheoryAttribute : TheoryAttribute
{
    public QemuSchemasTheoryAttribute()
    {
        if (SharedData.QemuSchemas == null)
            Skip = "reference data ../shared/qemu-schemas is absent (beside the repository root)";
    }
}

/// <summary>A fact over the real QEMU schemas; skipped visibly when absent.</summary>
public sealed class QemuSchemasFactAttribute : FactAttribute
{
    public QemuSchemasFactAttribute()
    {
        if (SharedData.QemuSchemas == null)
            Skip = "reference data ../shared/qemu-schemas is absent (beside the repository root)";
    }
}
