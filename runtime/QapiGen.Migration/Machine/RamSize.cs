using System;
using System.Globalization;

namespace QapiGen.Migration.Machine;

/// <summary>
/// Parses sizes the way QEMU's <c>-m</c> does: a number with an optional
/// suffix K, M, G or T (powers of 1024); a bare number means MiB, as in QEMU.
/// </summary>
public static class RamSize
{
    /// <summary>Parses "1G", "512M", "65536K", "64" (MiB).</summary>
    /// <exception cref="FormatException">Not a size, or not a multiple of the page size.</exception>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Length == 0)
        {
            throw new FormatException("Empty RAM size");
        }

        long multiplier = char.ToUpperInvariant(t[^1]) switch
        {
            'B' => 1L,
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            _ => 0,
        };
        string digits = multiplier == 0 ? t : t[..^1];
        if (multiplier == 0)
        {
            multiplier = 1L << 20;
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0)
        {
            throw new FormatException($"Invalid RAM size '{text}'");
        }

        long bytes = checked(value * multiplier);
        if (bytes % GuestRam.PageSize != 0)
        {
            throw new FormatException($"RAM size '{text}' is not a multiple of the {GuestRam.PageSize}-byte page size");
        }

        return bytes;
    }

    /// <summary>Formats a byte count the way it was most likely written.</summary>
    public static string Format(long bytes) =>
        bytes % (1L << 30) == 0 ? FormattableString.Invariant($"{bytes >> 30}G")
        : bytes % (1L << 20) == 0 ? FormattableString.Invariant($"{bytes >> 20}M")
        : FormattableString.Invariant($"{bytes >> 10}K");
}
