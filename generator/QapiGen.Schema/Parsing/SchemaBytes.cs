namespace QapiGen.Schema.Parsing;

/// <summary>
/// A schema file as the lexer reads it: its UTF-8 bytes, <see cref="Length"/> of them from
/// <see cref="Start"/> (past a UTF-8 byte order mark), with room in <see cref="Bytes"/> for one more
/// byte after them (the newline the lexer appends to a file that does not end in one). Lexing the
/// bytes instead of a UTF-16 string of them halves the text a load touches (QEMU's schema: 692 KB
/// of UTF-8, 1.4 MB as UTF-16), and fresh memory is most of what a short-lived <c>qapigen</c> pays
/// for (docs/native.md).
/// </summary>
internal readonly struct SchemaBytes
{
    public SchemaBytes(byte[] bytes, int start, int length)
    {
        System.Diagnostics.Debug.Assert(start + length < bytes.Length, "no room for the final newline");
        Bytes = bytes;
        Start = start;
        Length = length;
    }

    public byte[] Bytes { get; }

    public int Start { get; }

    public int Length { get; }

    /// <summary>The UTF-8 of <paramref name="text"/> (a file system that hands in strings).</summary>
    public static SchemaBytes Of(string text)
    {
        var bytes = new byte[Utf8Text.Utf8.GetByteCount(text) + 1];
        int length = Utf8Text.Utf8.GetBytes(text, 0, text.Length, bytes, 0);
        return new SchemaBytes(bytes, 0, length);
    }
}
