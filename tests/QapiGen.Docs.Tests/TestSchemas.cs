using System;
using System.IO;
using QapiGen.Docs.Model;
using QapiGen.Schema;
using QapiGen.Schema.Model;
using QapiGen.Tests.Shared;

namespace QapiGen.Docs.Tests;

/// <summary>The schemas the tests render: the small sample written for them, and QEMU's from ../shared.</summary>
public static class TestSchemas
{
    public static string Sample => Path.Combine(AppContext.BaseDirectory, "Samples", "sample.json");

    public static string? Qemu(string sub) => RepoPaths.SharedDirectory("qemu-schemas/" + sub) is { } d ? Path.Combine(d, "qapi-schema.json") : null;

    public static SchemaModel Model(string file, params string[] defines)
        => ModelBuilder.Build(QapiSchema.Load(file, null, new QapiSchemaOptions()), defines);

    public static string TempDirectory(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;
}
