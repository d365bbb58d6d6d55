using System;
using System.IO;

namespace QapiGen.Host.Tests.Migration;

/// <summary>
/// The guest RAM every migration test starts from: 32 MiB written once per test run to a file
/// (loaded with --ram-from) and kept in memory for comparisons. Mostly random
/// pages, with whole zero chunks and scattered zero pages, so both "data" and "zero page" paths
/// of each format are exercised.
/// </summary>
internal static class RamImage
{
    public const long Size = 32L << 20;

    public const string SizeOption = "32M";

    private static readonly Lazy<(string Path, byte[] Bytes)> Image = new(Create);

    /// <summary>The file to pass to --ram-from.</summary>
    public static string Path => Image.Value.Path;

    public static ReadOnlySpan<byte> Bytes => Image.Value.Bytes;

    private static (string, byte[]) Create()
    {
        byte[] bytes = new byte[Size];
        Random random = new(20240315);
        random.NextBytes(bytes);
        // Chunks 3 and 17 (1 MiB each) all zero, and every 7th page zero elsewhere.
        bytes.AsSpan(3 << 20, 1 << 20).Clear();
        bytes.AsSpan(17 << 20, 1 << 20).Clear();
        for (long page = 0; page < Size / 4096; page += 7)
        {
            bytes.AsSpan((int)(page * 4096), 4096).Clear();
        }
        // With the state files: on tmpfs when there is one, and swept like them if a run dies.
        string path = System.IO.Path.Combine(StateFiles.Directory, "ram-image.bin");
        File.WriteAllBytes(path, bytes);
        return (path, bytes);
    }
}
