using System;

namespace QapiGen.Schema.Parsing;

/// <summary>
/// The doc comment text of one schema file, kept as its UTF-8 bytes and where each line of section
/// text starts in them (past the <c>"# "</c>, a tag and the section's indentation); a line ends where
/// its comment line does, without trailing whitespace. A section is a run of these lines, and its text
/// is made only when read: <c>qapigen check</c> never reads it, and QEMU's doc text as strings was a
/// megabyte of a load's allocation, fresh memory that a short-lived process pays for (docs/native.md).
/// </summary>
/// <remarks>
/// Kept as long as the docs are: the bytes of the file (QEMU's: 692 KB, three quarters of them
/// comments) instead of the text of its sections as UTF-16 strings (1 MB). Lines are added by the one
/// thread parsing the file and read once it is parsed.
/// </remarks>
internal sealed class DocLines
{
    private readonly byte[] _text;
    private int[] _starts;

    /// <param name="text">The file's bytes; every line added is a view of them, and each line ends in '\n'.</param>
    /// <param name="capacity">Lines expected (grown as needed).</param>
    public DocLines(byte[] text, int capacity)
    {
        _text = text;
        _starts = new int[Math.Max(capacity, 16)];
    }

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="line"/>, a view of the file's bytes that runs to its comment line's end (trailing whitespace aside).</summary>
    public void Add(DocLine line)
    {
        System.Diagnostics.Debug.Assert(line.Source == _text, "a line of another text");
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
        }

        _starts[Count++] = line.Start;
    }

    /// <summary>Line <paramref name="index"/>: from where it starts to the end of its comment line, trailing whitespace trimmed.</summary>
    public DocLine this[int index]
    {
        get
        {
            int start = _starts[index];
            int newline = Array.IndexOf(_text, (byte)'\n', start);
            return new DocLine(_text, start, newline - start).TrimEnd();
        }
    }
}
