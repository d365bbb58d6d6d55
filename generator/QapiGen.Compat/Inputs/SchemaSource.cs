using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Compat.Inputs;

/// <summary>
/// Where one side's files come from: the disk, a git revision, an archive. A source is asked for
/// files by the names the schema front end uses (the main file's name, then include names joined
/// to it), which are also the names findings and errors print, so each source chooses names a
/// reader can act on (<c>schema/x.json</c>, <c>main:schema/x.json</c>, <c>old.tar:schema/x.json</c>).
/// </summary>
public abstract class SchemaSource
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>The identity of a file, so that each is read once and include cycles are found.</summary>
    public abstract string Key(string name);

    /// <summary>
    /// Reads the named files. Each result holds the text or the exception that explains why there is
    /// none (<see cref="FileNotFoundException"/>, <see cref="IOException"/>, ...); one unreadable file
    /// does not stop the others, because only the front end knows whether it is really needed.
    /// </summary>
    public abstract Task<IReadOnlyList<FileRead>> ReadAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>Schema text is UTF-8, strictly, with an optional byte order mark (as the disk reader of the front end takes it).</summary>
    protected static string Decode(byte[] bytes, int offset, int count)
    {
        if (count >= 3 && bytes[offset] == 0xEF && bytes[offset + 1] == 0xBB && bytes[offset + 2] == 0xBF)
        {
            offset += 3;
            count -= 3;
        }
        try
        {
            return StrictUtf8.GetString(bytes, offset, count);
        }
        catch (DecoderFallbackException e)
        {
            throw new IOException("invalid UTF-8: " + e.Message, e);
        }
    }
}

/// <summary>One file asked of a <see cref="SchemaSource"/>: its text, or why it could not be read.</summary>
public sealed record FileRead(string Name, string? Text, Exception? Error);
