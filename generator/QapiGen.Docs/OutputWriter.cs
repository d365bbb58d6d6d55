using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Docs;

/// <summary>Writes output files (UTF-8 without BOM) and keeps the tally.</summary>
internal sealed class OutputWriter
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly string _directory;

    public OutputWriter(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    public RenderResult Result { get; } = new();

    public async Task WriteAsync(string name, string text, CancellationToken ct)
    {
        byte[] bytes = Utf8.GetBytes(text);
        await File.WriteAllBytesAsync(Path.Combine(_directory, name), bytes, ct).ConfigureAwait(false);
        Result.Files.Add(name);
        Result.Bytes += bytes.Length;
    }
}
