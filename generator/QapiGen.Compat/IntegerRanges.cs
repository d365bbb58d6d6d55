using System;
using System.Collections.Generic;

namespace QapiGen.Compat;

/// <summary>
/// The value ranges of QAPI's integer types. The wire (and introspection) shows them all as
/// <c>int</c>, but a server refuses 300 for a <c>uint8</c>, so when both sides are schemas a
/// change of width is a narrowed or widened type.
/// </summary>
internal static class IntegerRanges
{
    private static readonly Dictionary<string, (Int128 Min, Int128 Max)> Ranges = new(StringComparer.Ordinal)
    {
        ["int"] = (long.MinValue, long.MaxValue),
        ["int64"] = (long.MinValue, long.MaxValue),
        ["int32"] = (int.MinValue, int.MaxValue),
        ["int16"] = (short.MinValue, short.MaxValue),
        ["int8"] = (sbyte.MinValue, sbyte.MaxValue),
        ["uint64"] = (0, ulong.MaxValue),
        ["size"] = (0, ulong.MaxValue),
        ["uint32"] = (0, uint.MaxValue),
        ["uint16"] = (0, ushort.MaxValue),
        ["uint8"] = (0, byte.MaxValue),
    };

    public static bool TryGet(string? schemaType, out (Int128 Min, Int128 Max) range)
    {
        range = default;
        return schemaType != null && Ranges.TryGetValue(schemaType, out range);
    }

    /// <summary>Whether every value of <paramref name="inner"/> is a value of <paramref name="outer"/>.</summary>
    public static bool Contains((Int128 Min, Int128 Max) outer, (Int128 Min, Int128 Max) inner)
        => outer.Min <= inner.Min && inner.Max <= outer.Max;

    /// <summary>The element type of a built-in array name such as <c>uint8List</c>.</summary>
    public static string? ElementOf(string? schemaType)
        => schemaType != null && schemaType.EndsWith("List", StringComparison.Ordinal) ? schemaType.Substring(0, schemaType.Length - 4) : null;
}
