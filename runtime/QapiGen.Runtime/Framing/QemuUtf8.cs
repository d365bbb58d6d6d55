using System;
using System.Text;

namespace QapiGen.Runtime.Framing;

/// <summary>
/// QEMU's "modified UTF-8" rules, which decide both what a JSON string may contain and how raw
/// input bytes look when an error message quotes them.
/// </summary>
/// <remarks>
/// A sequence is valid when it is well-formed UTF-8 and encodes a Unicode scalar value that is
/// not a noncharacter (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF), not a surrogate, and not overlong,
/// except that the overlong "\xC0\x80" stands for U+0000. A lead byte announces up to six bytes
/// (0xF8..0xFD included); a sequence cut short by a byte that is not a continuation byte is
/// invalid and ends before that byte.
/// </remarks>
internal static class QemuUtf8
{
    /// <summary>The smallest code point a sequence of 2..6 bytes may encode (index: length - 2).</summary>
    private static readonly int[] MinimumForLength = [0x80, 0x800, 0x10000, 0x200000, 0x4000000];

    /// <summary>
    /// Decodes the sequence at the start of <paramref name="s"/> (bytes past its end count as
    /// 0, which is no continuation byte). Returns the code point, or -1 with
    /// <paramref name="length"/> covering the lead byte and the continuation bytes that followed it.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> s, out int length)
    {
        byte lead = s[0];
        length = 1;
        if (lead < 0x80)
        {
            return lead;
        }
        if (lead >= 0xFE || (lead & 0x40) == 0)
        {
            return -1; // impossible byte, or a continuation byte where a character starts
        }
        int count = SequenceLength(lead);
        int cp = lead & (0x7F >> count);
        for (int i = 1; i < count; i++)
        {
            byte next = i < s.Length ? s[i] : (byte)0;
            if ((next & 0xC0) != 0x80)
            {
                length = i;
                return -1;
            }
            cp = (cp << 6) | (next & 0x3F);
        }
        length = count;
        return IsValidSequenceValue(cp, count) ? cp : -1;
    }

    /// <summary>How many bytes a lead byte (0xC0..0xFD) announces: its leading one bits.</summary>
    public static int SequenceLength(byte lead)
    {
        int count = 0;
        for (int mask = 0x80; (lead & mask) != 0; mask >>= 1)
        {
            count++;
        }
        return count;
    }

    /// <summary>Whether a complete sequence of <paramref name="count"/> bytes decoding to <paramref name="cp"/> is valid.</summary>
    public static bool IsValidSequenceValue(int cp, int count) =>
        IsValidCodepoint(cp) && (cp >= MinimumForLength[count - 2] || (count == 2 && cp == 0));

    /// <summary>Whether a code point may be in a string (also what a \u escape must name).</summary>
    public static bool IsValidCodepoint(int cp) =>
        cp is >= 0 and <= 0x10FFFF
        && cp is not (>= 0xFDD0 and <= 0xFDEF)
        && (cp & 0xFFFE) != 0xFFFE
        && cp is not (>= 0xD800 and <= 0xDFFF);

    /// <summary>
    /// Raw input bytes as QEMU's JSON output shows them inside an error message: up to the
    /// first NUL (the message is a C string), each valid sequence as its character, each
    /// invalid one as one U+FFFD.
    /// </summary>
    public static string Display(ReadOnlySpan<byte> raw)
    {
        int nul = raw.IndexOf((byte)0);
        if (nul >= 0)
        {
            raw = raw[..nul];
        }
        if (raw.IndexOfAnyExceptInRange((byte)0x01, (byte)0x7F) < 0)
        {
            return Encoding.ASCII.GetString(raw);
        }
        StringBuilder text = new(raw.Length);
        while (!raw.IsEmpty)
        {
            int cp = Decode(raw, out int length);
            text.Append(cp < 0 ? "\uFFFD" : char.ConvertFromUtf32(cp));
            raw = raw[length..];
        }
        return text.ToString();
    }
}
