using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using QapiGen.Runtime.Protocol;
using Xunit;

namespace QapiGen.Generated.Tests;

public class DispatchTests
{
    private readonly Handlers _handlers = new();
    private readonly QapiDispatcher _dispatcher;

    public DispatchTests() => _dispatcher = new QapiDispatcher(_handlers);

    [Fact]
    public async Task ArgumentsOneByOneAndTheReply()
    {
        Assert.Equal("""{"fdset-id":3,"fd":42}""", await Dispatch.Run(_dispatcher, "add-fd-like", """{"opaque":"x","fdset-id":3}"""));
        Assert.Equal("add-fd-like 3 x", _handlers.Calls.Single());
        Assert.Equal("""{"fdset-id":0,"fd":42}""", await Dispatch.Run(_dispatcher, "add-fd-like"));
    }

    [Theory]
    [InlineData("add-fd-like", """{"bogus":1}""", "Parameter 'bogus' is unexpected")]
    [InlineData("add-fd-like", """{"fdset-id":"1"}""", "Invalid parameter type for 'fdset-id', expected: integer")]
    [InlineData("add-fd-like", """{"fdset-id":null}""", "Invalid parameter type for 'fdset-id', expected: integer")]
    [InlineData("fire-and-forget", "{}", "Parameter 'delay' is missing")]
    [InlineData("query-things", """{"x":1}""", "Parameter 'x' is unexpected")]
    [InlineData("echo-struct", """{"value":{"name":"n"}}""", "Parameter 'value.id' is missing")]
    [InlineData("echo-struct", """{"value":{"name":"n","id":1,"tags":[1]}}""", "Invalid parameter type for 'value.tags[0]', expected: string")]
    [InlineData("echo-struct", """{"value":{"name":"n","id":1,"nested":{"count":1}}}""", "Parameter 'value.nested.label' is missing")]
    [InlineData("echo-struct", """{"value":{"name":"n","id":1,"nested":{"label":"l","zz":1}}}""", "Parameter 'value.nested.zz' is unexpected")]
    [InlineData("run-shape", """{"kind":"circle"}""", "Parameter 'radius' is missing")]
    [InlineData("run-shape", """{"kind":"circle","radius":1,"extra":1}""", "Parameter 'extra' is unexpected")]
    [InlineData("take-value", """{"value":"s"}""", "Invalid parameter type for 'value', expected: Value")]
    [InlineData("take-value", """{"value":null,"list":["red","purple"]}""", "Parameter 'null' does not accept value 'purple'")]
    [InlineData("take-value", """{"value":null,"sizes":[1,"purple"]}""", "Parameter 'null' does not accept value 'purple'")]
    [InlineData("set-widths", """{"u8":256}""", "Parameter 'u8' expects uint8_t")]
    [InlineData("set-widths", """{"u64":"x"}""", "Parameter 'u64' expects uint64")]
    [InlineData("set-widths", """{"num":1e400}""", "Parameter 'num' expects a finite number")]
    [InlineData("run-shape", """{"kind":"circle","radius":-1e309}""", "Parameter 'radius' expects a finite number")]
    public async Task Bad_arguments_give_QEMUs_GenericError(string command, string arguments, string message)
    {
        Assert.Equal("error: GenericError: " + message, await Dispatch.Run(_dispatcher, command, arguments));
        Assert.Empty(_handlers.Calls);
    }

    [Fact]
    public async Task EveryWidthReachesTheHandler()
    {
        string json = """{"i8":-128,"i16":-32768,"i32":-2147483648,"i64":-9223372036854775808,"u8":255,"u16":65535,"u32":4294967295,"u64":18446744073709551615,"sz":18446744073709551615,"num":0.5,"flag":true}""";
        Assert.Equal(json, await Dispatch.Run(_dispatcher, "set-widths", json));
        Assert.Equal("""{"u64":18446744073709551615}""", await Dispatch.Run(_dispatcher, "set-widths", """{"u64":-1,"default":"kw"}"""));
        Assert.Equal("set-widths kw", _handlers.Calls.Last());
    }

    [Fact]
    public async Task BoxedCommandGetsTheUnion()
    {
        Assert.Equal("""{"area":4}""", await Dispatch.Run(_dispatcher, "run-shape", """{"kind":"square","side":2}"""));
        Assert.Equal("""{"area":3.14}""", await Dispatch.Run(_dispatcher, "run-shape", """{"radius":1,"kind":"circle"}"""));
        Assert.Equal(new[] { "run-shape Square", "run-shape Circle" }, _handlers.Calls);
    }

    [Fact]
    public async Task SuccessResponseFalseSendsNothing()
    {
        Assert.Equal("no response", await Dispatch.Run(_dispatcher, "fire-and-forget", """{"delay":5}"""));
        Assert.Equal("fire-and-forget 5", _handlers.Calls.Single());
        Assert.True(_dispatcher.TryGetCommand("fire-and-forget", out QmpCommandInfo info));
        Assert.False(info.SuccessResponse);
    }

    [Fact]
    public async Task CommandsWithoutReturnsReplyEmptyObject()
        => Assert.Equal("{}", await Dispatch.Run(_dispatcher, "take-value", """{"value":1.5,"text":"t","sizes":[1,"red"],"extra":[{"a":1}],"list":["red","blue"]}"""));

    [Fact]
    public async Task GenFalsePassesRawArguments()
    {
        Assert.Equal("""{"anything":[1]}""", await Dispatch.Run(_dispatcher, "raw-command", """{"anything":[1]}"""));
    }

    [Fact]
    public async Task ListsAreReturned()
        => Assert.Equal("""[{"label":"a"},{"label":"b","count":2}]""", await Dispatch.Run(_dispatcher, "query-things"));

    [Fact]
    public void FlagsAndConditionsInTheTable()
    {
        Assert.True(_dispatcher.TryGetCommand("add-fd-like", out QmpCommandInfo info));
        Assert.True(info.AllowOob);
        Assert.True(info.AllowPreconfig);
        Assert.True(_dispatcher.TryGetCommand("echo-struct", out info));
        Assert.False(info.AllowOob);
        Assert.False(_dispatcher.TryGetCommand("conditional-command", out _));
        Assert.False(_dispatcher.TryGetCommand("nope", out _));
        Assert.Equal(["add-fd", "migrate-set-capabilities", "migrate-set-parameters", "query-skew", "clash-command", "echo-struct", "add-fd-like", "set-widths", "run-shape", "fire-and-forget", "raw-command", "query-things", "take-value", "old-command", "x-new-command", "query-qmp-schema",
            // The built-ins the schema lacks, answered by the table itself (BuiltInCommandsTests).
            "qmp_capabilities", "query-version", "query-commands"],
            QapiDispatcher.Commands.Select(c => c.Name));
        Assert.NotNull(typeof(IQapiCommands).GetMethod("OldCommandAsync")!.GetCustomAttributes(typeof(System.ObsoleteAttribute), false).SingleOrDefault());
        Assert.NotNull(typeof(IQapiCommands).GetMethod("XNewCommandAsync")!.GetCustomAttributes(typeof(System.Diagnostics.CodeAnalysis.ExperimentalAttribute), false).SingleOrDefault());
    }

    [Fact]
    public async Task QueryQmpSchemaIsAnsweredFromTheIntrospectionData()
    {
        string reply = await Dispatch.Run(_dispatcher, "query-qmp-schema");
        using var doc = JsonDocument.Parse(reply);
        var names = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains("echo-struct", names);
        Assert.Contains("WIDGET_CHANGED", names);
        Assert.DoesNotContain("conditional-command", names);
        Assert.DoesNotContain("Widget", names); // type names are masked
        // CONFIG_TEST is defined, CONFIG_OFF is not: 'blue' is listed, 'cyan' is not.
        JsonElement colors = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("meta-type").GetString() == "enum"
            && e.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("name").GetString() == "mauve"));
        Assert.Equal(["red", "green", "blue", "mauve"], colors.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        // The bytes are QEMU's layout (", " and ": "); the reply writer re-emits them compactly.
        Assert.StartsWith("[{\"", Encoding(QapiIntrospection.SchemaJson));
        Assert.Contains("\", \"", Encoding(QapiIntrospection.SchemaJson));
        Assert.Equal("error: GenericError: Parameter 'x' is unexpected", await Dispatch.Run(_dispatcher, "query-qmp-schema", """{"x":1}"""));
    }

    private static string Encoding(System.ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);
}
