using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// Seeded random arguments for every command of the test schema, through a real session: the
/// generated readers must turn whatever arrives into a value or a QEMU-worded error, never into
/// an exception that the session reports as "Internal error", and never end the session.
/// </summary>
public class FuzzTests
{
    // The schema's own member names and enum values, so that many calls get deep into the
    // readers (right names, wrong types or ranges) rather than stopping at the first key.
    private static readonly string[] Keys =
    [
        "value", "name", "id", "size", "color", "tags", "nested", "label", "count", "fdset-id", "opaque",
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "sz", "num", "flag", "default", "kind",
        "radius", "side", "fill", "text", "sizes", "extra", "list", "capabilities", "capability", "state",
        "cpu-throttle-initial", "max-bandwidth", "bogus",
    ];

    private static readonly string[] Strings =
        ["red", "green", "blue", "cyan", "mauve", "circle", "square", "empty", "hexagon", "octagon", "xbzrle", "", "x", "é\u0001"];

    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "127", "128", "-129", "255", "256", "65535", "65536", "2147483648", "-2147483649", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551615",
        "18446744073709551616", "1.5", "-0.0", "1e308", "1e400", "2.5e-7",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_arguments_get_a_value_or_a_QEMU_error(int seed)
    {
        string path = Path.Combine(Path.GetTempPath(), "qapigen-fuzz-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        await using QmpListener listener = QmpListener.Create("unix:" + path);
        Task server = Task.Run(async () =>
        {
            QmpTransport transport = await listener.AcceptAsync(timeout.Token);
            await using QmpSession session = new(transport, new QapiDispatcher(new Handlers()));
            await session.RunAsync(timeout.Token);
        });
        // Commands without a reply would leave the client waiting; they share the readers anyway.
        string[] commands = QapiDispatcher.Commands.Where(c => c.SuccessResponse && c.Name != "qmp_capabilities").Select(c => c.Name).ToArray();
        Random random = new(seed);
        int returned = 0, refused = 0;
        try
        {
            await using (QapiClient client = await QapiClient.ConnectAsync("unix:" + path, cancellationToken: timeout.Token))
            {
                for (int call = 0; call < 1500; call++)
                {
                    string command = commands[random.Next(commands.Length)];
                    string arguments = RandomObject(random, depth: 0);
                    using JsonDocument document = JsonDocument.Parse(arguments);
                    try
                    {
                        await client.ExecuteAsync(command, document.RootElement, cancellationToken: timeout.Token);
                        returned++;
                    }
                    catch (QmpException e)
                    {
                        Assert.False(e.Description.StartsWith("Internal error", StringComparison.Ordinal), $"{command} {arguments}: {e.Description}");
                        Assert.Equal("GenericError", e.ErrorClass);
                        refused++;
                    }
                }
            }
            await server.WaitAsync(timeout.Token);
        }
        finally
        {
            File.Delete(path);
        }
        // Both ways through the readers were taken, or the test proves little.
        Assert.True(returned > 50 && refused > 50, $"{returned} returned, {refused} refused");
    }

    private static string RandomObject(Random random, int depth)
    {
        StringBuilder json = new("{");
        int members = random.Next(0, 4);
        string[] keys = Enumerable.Range(0, members).Select(_ => Keys[random.Next(Keys.Length)]).Distinct().ToArray();
        for (int i = 0; i < keys.Length; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(Quote(keys[i])).Append(':').Append(RandomValue(random, depth + 1));
        }
        return json.Append('}').ToString();
    }

    private static string Quote(string text) => "\"" + JsonEncodedText.Encode(text).Value + "\"";

    private static string RandomValue(Random random, int depth)
    {
        int kind = random.Next(depth >= 3 ? 5 : 7);
        return kind switch
        {
            0 => "null",
            1 => random.Next(2) == 0 ? "true" : "false",
            2 or 3 => Numbers[random.Next(Numbers.Length)],
            4 => Quote(Strings[random.Next(Strings.Length)]),
            5 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(random, depth + 1))) + "]",
            _ => RandomObject(random, depth),
        };
    }
}
