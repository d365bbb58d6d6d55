namespace QapiGen.Schema.Parsing;

/// <summary>
/// A file system that reads a schema file as its UTF-8 bytes without making a string of it (the
/// disk). The parser lexes bytes; a file system without this hands in strings, which are encoded.
/// </summary>
internal interface IUtf8SchemaFileSystem
{
    /// <summary>The file's bytes, checked to be UTF-8 (any other encoding a byte order mark names is converted).</summary>
    /// <exception cref="System.IO.IOException">the file cannot be read, is too large or is not valid UTF-8.</exception>
    SchemaBytes ReadUtf8(string path);
}
