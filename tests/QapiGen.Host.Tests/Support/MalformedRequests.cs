using System;
using System.Collections.Generic;
using System.Text;

namespace QapiGen.Host.Tests.Support;

/// <summary>
/// Seeded malformed QMP input: valid requests of harmless commands (queries, and commands that
/// fail without an fd), then one to three mutations each: truncation, bad numbers, bad escapes,
/// stray bytes, control characters, invalid or overlong UTF-8, deletions, swaps and nesting.
/// Everything a mutation inserts keeps the nesting well within the host's limit and the input
/// far below its size limit, so that any difference in replies is one of framing, not limits.
/// </summary>
internal sealed class MalformedRequests(int seed)
{
    /// <summary>Requests that change nothing on either server, whatever their id or arguments.</summary>
    private static readonly string[] Templates =
    [
        "{\"execute\":\"query-status\"}",
        "{\"execute\":\"query-status\",\"id\":1}",
        "{\"execute\":\"query-version\",\"id\":\"abc\"}",
        "{ \"execute\" : \"query-status\" , \"id\" : -12.5e3 }",
        "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"x\"},\"id\":[1,{\"a\":null}]}",
        "{\"execute\":\"query-fdsets\",\"id\":{\"k\":[true,false,null]}}",
        "{'execute':'query-status','id':'q\\'t\"'}",
        "{\"execute\":\"no-such-command\",\"id\":0.25}",
        "{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\"}}",
        "{\"execute\":\"closefd\",\"arguments\":{\"fdname\":\"é😀\"},\"id\":\"é\"}",
        "{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":7,\"fd\":-1}}",
        "{\"execute\":\"qmp_capabilities\",\"id\":\"n\"}",
        "{\"execute\":\"query-status\",\"arguments\":{}}",
        "[{\"execute\":\"query-status\"}]",
        "\"query-status\"",
        "{\"execute\":\"query-status\",\"id\":true}\n{\"execute\":\"query-version\",\"id\":null}",
    ];

    private static readonly string[] BadNumbers =
    [
        "-", "1.", "1e", "1e+", "01", "-0", "--1", "0x1", "1.e3", ".5", "0e5", "-a", "1..2", "1e5.5", "00",
        "-.", "2E-", "9223372036854775808", "1.5e-3", "0.0", "-0.5E+2", "1-", "5a",
    ];

    private static readonly string[] BadEscapes =
    [
        "\\x", "\\u12", "\\uD800", "\\udc00", "\\ud800\\u0041", "\\ud800\\udc00", "\\u00", "\\U0041", "\\'", "\\",
        "\\ud83d\\ude00", "\\uFFFF", "\\ufdd0", "\\u0000", "\\uzzzz", "\\ud800\\", "\\ud800\\u12", "\\a", "\\0", "\\ ",
    ];

    private static readonly string[] Strays =
    [
        "@", "%", "#", "A", "~", "\\", "}", "]", ":", ",", "{", "[", "'", "\"", "tru", "nul", "falsey", "True", "x", " ",
    ];

    private static readonly byte[][] Utf8 =
    [
        [0x80], [0xC0, 0x80], [0xC3], [0xC3, 0x28], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF],
        [0xEF, 0xBF, 0xBE], [0xEF, 0xB7, 0x90], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE],
        [0xFF], [0xC1, 0xBF], [0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80], [0xBF, 0xBF], [0xE0, 0xA0, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
    ];

    private readonly Random _random = new(seed);

    /// <summary>The next malformed input (no trailing newline).</summary>
    public byte[] Next()
    {
        List<byte> input = [.. Encoding.UTF8.GetBytes(Templates[_random.Next(Templates.Length)])];
        int mutations = 1 + _random.Next(3);
        for (int i = 0; i < mutations; i++)
        {
            Mutate(input);
        }
        return [.. input];
    }

    private void Mutate(List<byte> input)
    {
        int at = _random.Next(input.Count + 1);
        switch (_random.Next(11))
        {
            case 0:
                // Truncation: the rest is lost (the trailer then ends whatever is open).
                input.RemoveRange(at, input.Count - at);
                break;
            case 1:
                input.InsertRange(at, Encoding.ASCII.GetBytes(BadNumbers[_random.Next(BadNumbers.Length)]));
                break;
            case 2:
                input.InsertRange(at, Encoding.ASCII.GetBytes(BadEscapes[_random.Next(BadEscapes.Length)]));
                break;
            case 3:
                input.InsertRange(at, Encoding.ASCII.GetBytes(Strays[_random.Next(Strays.Length)]));
                break;
            case 4:
                byte[] controls = [0x00, 0x01, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x1F, 0x7F];
                input.Insert(at, controls[_random.Next(controls.Length)]);
                break;
            case 5:
            case 6:
                input.InsertRange(at, Utf8[_random.Next(Utf8.Length)]);
                break;
            case 7:
                if (at < input.Count)
                {
                    input.RemoveAt(at);
                }
                break;
            case 8:
                if (at + 1 < input.Count)
                {
                    (input[at], input[at + 1]) = (input[at + 1], input[at]);
                }
                break;
            case 9:
                // Nesting: balanced, or only opened, or only closed, never past 24 levels.
                int depth = 1 + _random.Next(24);
                string open = _random.Next(2) == 0 ? "[" : "{\"k\":";
                string close = open == "[" ? "]" : "}";
                int shape = _random.Next(3);
                StringBuilder text = new();
                for (int d = 0; d < depth && shape != 2; d++)
                {
                    text.Append(open);
                }
                if (shape == 0)
                {
                    text.Append('1');
                }
                for (int d = 0; d < depth && shape != 1; d++)
                {
                    text.Append(close);
                }
                input.InsertRange(at, Encoding.ASCII.GetBytes(text.ToString()));
                break;
            default:
                // A copy of a random slice somewhere else: doubled quotes, braces, keys.
                if (input.Count > 0)
                {
                    int from = _random.Next(input.Count);
                    int length = Math.Min(1 + _random.Next(8), input.Count - from);
                    input.InsertRange(at, input.GetRange(from, length));
                }
                break;
        }
    }
}
