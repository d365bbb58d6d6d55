using System.IO;
using QapiGen.Tests.Shared;

namespace QapiGen.Compat.Tests;

/// <summary>The real QEMU schemas in ../shared/qemu-schemas (see <see cref="RepoPaths"/>).</summary>
internal static class SharedData
{
    public const string QemuSchemas = "qemu-schemas";

    public static string Schema(string version) => Path.Combine(RepoPaths.SharedDirectory(QemuSchemas)!, version, "qapi-schema.json");
}
