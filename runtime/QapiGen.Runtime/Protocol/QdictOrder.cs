using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The order in which QEMU walks the members of a request object. QEMU checks a request's
/// members in the iteration order of its QDict, a hash table, and reports the first bad one;
/// with two bad members ("QMP input member 'x' is unexpected"), which one a client is told
/// about depends on that order, not on the order in the text.
/// </summary>
/// <remarks>
/// A QDict has 512 buckets chosen by QEMU's tdb_hash of the key's bytes (U+0000 held as
/// "\xC0\x80"); iteration goes through the buckets in ascending order and, within a bucket,
/// from the member inserted last to the one inserted first.
/// </remarks>
internal static class QdictOrder
{
    private const int Buckets = 512;

    /// <summary>The members of <paramref name="obj"/> in QEMU's iteration order.</summary>
    public static List<JsonProperty> Members(JsonElement obj)
    {
        List<(uint Bucket, int Index, JsonProperty Member)> members = new();
        foreach (JsonProperty member in obj.EnumerateObject())
        {
            members.Add((Bucket(member.Name), members.Count, member));
        }
        members.Sort(static (a, b) => a.Bucket != b.Bucket ? a.Bucket.CompareTo(b.Bucket) : b.Index.CompareTo(a.Index));
        List<JsonProperty> ordered = new(members.Count);
        foreach ((uint Bucket, int Index, JsonProperty Member) entry in members)
        {
            ordered.Add(entry.Member);
        }
        return ordered;
    }

    /// <summary>QEMU's bucket for <paramref name="key"/>: tdb_hash(key) % 512.</summary>
    public static uint Bucket(string key)
    {
        List<byte> utf8 = new(key.Length);
        Span<byte> scratch = stackalloc byte[4];
        foreach (Rune rune in key.EnumerateRunes())
        {
            if (rune.Value == 0)
            {
                utf8.Add(0xC0);
                utf8.Add(0x80);
                continue;
            }
            int length = rune.EncodeToUtf8(scratch);
            for (int i = 0; i < length; i++)
            {
                utf8.Add(scratch[i]);
            }
        }
        uint value = unchecked(0x238F13AFu * (uint)utf8.Count);
        for (int i = 0; i < utf8.Count; i++)
        {
            value = unchecked(value + ((uint)utf8[i] << (i * 5 % 24)));
        }
        return unchecked(1103515243u * value + 12345u) % Buckets;
    }
}
