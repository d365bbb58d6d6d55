using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace QapiGen.Tests.Shared;

/// <summary>
/// Seeded random JSON argument objects for fuzz tests, built from a schema's own member names
/// and string values so that many of them get deep into the readers (right names, wrong types
/// or ranges) instead of stopping at the first unknown key. One file, linked into every test
/// project that fuzzes commands.
/// </summary>
public sealed class RandomJson(int seed, IEnumerable<string> keys, IEnumerable<string> strings)
{
    /// <summary>Numbers at the edges of every QAPI integer width, and doubles in and out of range.</summary>
    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "127", "128", "-129", "255", "256", "65535", "65536", "2147483648", "-2147483649", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551615",
        "18446744073709551616", "1.5", "-0.0", "1e308", "1e400", "2.5e-7",
    ];

    private readonly Random _random = new(seed);
    private readonly string[] _keys = [.. keys.Append("bogus").Distinct()];
    private readonly string[] _strings = [.. strings.Concat(["", "x", "é\u0001"]).Distinct()];

    /// <summary>Picks one of <paramref name="items"/>.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>An object of zero to three members, values nested up to three levels.</summary>
    public string Object() => Object(depth: 0);

    private string Object(int depth)
    {
        StringBuilder json = new("{");
        string[] members = [.. Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Pick(_keys)).Distinct()];
        for (int i = 0; i < members.Length; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(Quote(members[i])).Append(':').Append(Value(depth + 1));
        }
        return json.Append('}').ToString();
    }

    private string Value(int depth) => _random.Next(depth >= 3 ? 5 : 7) switch
    {
        0 => "null",
        1 => _random.Next(2) == 0 ? "true" : "false",
        2 or 3 => Pick(Numbers),
        4 => Quote(Pick(_strings)),
        5 => "[" + string.Join(",", Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Value(depth + 1))) + "]",
        _ => Object(depth),
    };

    private static string Quote(string text) => "\"" + JsonEncodedText.Encode(text).Value + "\"";
}
