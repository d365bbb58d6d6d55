using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace QapiGen.Schema.Introspection;

/// <summary>
/// The order in which QEMU prints the keys of a JSON object. A QEMU <c>QDict</c> is a hash table
/// of 512 buckets keyed by <c>tdb_hash</c>; printing walks the buckets in order and each bucket's
/// list from its head, where insertions go. Reproducing that is what makes our text byte-identical
/// to a real <c>query-qmp-schema</c> reply (e.g. <c>{"name": …, "ret-type": …, "meta-type": …, "arg-type": …}</c>).
/// </summary>
public static class QemuDictOrder
{
    private const int BucketMax = 512;

    /// <summary>QEMU's <c>tdb_hash</c> (qobject/qdict.c), in 32-bit unsigned arithmetic.</summary>
    public static uint TdbHash(string key)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        unchecked
        {
            uint value = 0x238F13AFu * (uint)bytes.Length;
            for (int i = 0; i < bytes.Length; i++)
            {
                value += (uint)bytes[i] << (i * 5 % 24);
            }

            return 1103515243u * value + 12345u;
        }
    }

    /// <summary>
    /// The print order of keys inserted in <paramref name="insertionOrder"/>: by bucket, and
    /// within a bucket the most recently inserted first.
    /// </summary>
    public static IReadOnlyList<string> Order(IReadOnlyList<string> insertionOrder)
    {
        return insertionOrder
            .Select((key, index) => (key, index, bucket: TdbHash(key) % BucketMax))
            .OrderBy(k => k.bucket)
            .ThenByDescending(k => k.index)
            .Select(k => k.key)
            .ToList();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, uint> Buckets = new(StringComparer.Ordinal);

    /// <summary>
    /// The print order of keys as the introspection generator inserts them (its C initialiser lists
    /// them sorted), as a comparison: with keys inserted in sorted order, the print
    /// order is by bucket, then by key descending (the later inserted first). Being a total order
    /// on keys, it sorts any object's keys without building lists, which matters for the ~100,000
    /// objects of a large schema's introspection.
    /// </summary>
    internal static int CompareGenerated(string a, string b)
    {
        int c = Buckets.GetOrAdd(a, k => TdbHash(k) % BucketMax).CompareTo(Buckets.GetOrAdd(b, k => TdbHash(k) % BucketMax));
        return c != 0 ? c : string.CompareOrdinal(b, a);
    }
}
