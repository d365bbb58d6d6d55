using System.Collections.Generic;

namespace QapiGen.Docs;

/// <summary>What a run wrote: the files (relative to the output directory) and their total size.</summary>
public sealed class RenderResult
{
    public List<string> Files { get; } = new();
    public long Bytes { get; set; }
}
