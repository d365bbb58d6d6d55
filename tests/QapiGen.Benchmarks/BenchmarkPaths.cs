using System;
using System.IO;

namespace QapiGen.Benchmarks;

/// <summary>Finds the repository and the reference data beside it (benchmarks run from a copied output folder).</summary>
public static class BenchmarkPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "QapiGen.sln")))
                {
                    return dir.FullName;
                }
            }
            // BenchmarkDotNet builds a copy elsewhere; fall back to the working directory.
            return Directory.GetCurrentDirectory();
        }
    }

    /// <summary>The v8.2.0 QEMU schema directory when ../shared is present, else the host's own schema.</summary>
    public static string LargeSchemaDirectory
    {
        get
        {
            string qemu = Path.GetFullPath(Path.Combine(Root, "..", "shared", "qemu-schemas", "v8.2.0"));
            return Directory.Exists(qemu) ? qemu : Path.Combine(Root, "schema");
        }
    }
}
