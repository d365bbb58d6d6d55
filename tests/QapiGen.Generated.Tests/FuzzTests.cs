using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using QapiGen.Runtime.Protocol;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// Seeded random arguments for every command of the test schema, through a real session: the
/// generated readers must turn whatever arrives into a value or a QEMU-worded error, never into
/// an exception that the session reports as "Internal error", and never end the session.
/// </summary>
public class FuzzTests
{
    private static readonly string[] Keys =
    [
        "value", "name", "id", "size", "color", "tags", "nested", "label", "count", "fdset-id", "opaque",
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "sz", "num", "flag", "default", "kind",
        "radius", "side", "fill", "text", "sizes", "extra", "list", "capabilities", "capability", "state",
        "cpu-throttle-initial", "max-bandwidth",
    ];

    private static readonly string[] Strings =
        ["red", "green", "blue", "cyan", "mauve", "circle", "square", "empty", "hexagon", "octagon", "xbzrle"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomArgumentsGetAValueOrAQEMUError(int seed)
    {
        // Commands without a reply would leave the client waiting; they share the readers anyway.
        string[] commands = QapiDispatcher.Commands.Where(c => c.SuccessResponse && c.Name != "qmp_capabilities").Select(c => c.Name).ToArray();
        RandomJson random = new(seed, Keys, Strings);
        int returned = 0, refused = 0;
        await ClientTests.WithServer(async (client, _, _) =>
        {
            for (int call = 0; call < 1500; call++)
            {
                string command = random.Pick(commands);
                string arguments = random.Object();
                using JsonDocument document = JsonDocument.Parse(arguments);
                try
                {
                    await client.ExecuteAsync(command, document.RootElement);
                    returned++;
                }
                catch (QmpException e)
                {
                    Assert.False(e.Description.StartsWith("Internal error", StringComparison.Ordinal), $"{command} {arguments}: {e.Description}");
                    Assert.Equal("GenericError", e.ErrorClass);
                    refused++;
                }
            }
        });
        // Both ways through the readers were taken, or the test proves little.
        Assert.True(returned > 50 && refused > 50, $"{returned} returned, {refused} refused");
    }
}
