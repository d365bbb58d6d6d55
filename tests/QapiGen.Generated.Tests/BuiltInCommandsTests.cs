using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;
using Xunit;
using Full = QapiGen.Generated.Tests.BuiltIns;
using Subset = QapiGen.Generated.Tests.BuiltInsSubset;

namespace QapiGen.Generated.Tests;

/// <summary>
/// A schema without <c>qmp_capabilities</c>, <c>query-version</c>, <c>query-commands</c> and <c>query-qmp-schema</c>
/// (schema/builtins.json) still gets a server that answers all four, on the wire exactly as QEMU does, and lists them
/// in its introspection; the version it reports is the configured one, by default the application's.
/// </summary>
public sealed class BuiltInCommandsTests
{
    private static readonly QmpVersion Configured = new(3, 1, 4, "builtins-test 3.1.4");

    private sealed class FullHandlers : Full.QapiCommandsBase
    {
        public override ValueTask<Full.Sum> AddAsync(QmpCommandContext context, Full.AddArguments arguments, CancellationToken cancellationToken) =>
            new(new Full.Sum { Value = arguments.A + arguments.B });

        public override ValueTask PingAsync(QmpCommandContext context, Full.PingArguments arguments, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class SubsetHandlers : Subset.QapiCommandsBase
    {
        public override ValueTask<Subset.Sum> AddAsync(QmpCommandContext context, Subset.AddArguments arguments, CancellationToken cancellationToken) =>
            new(new Subset.Sum { Value = arguments.A + arguments.B });
    }

    [Fact]
    public async Task ASchemaWithoutThemAnswersAllFourOnTheWireAsQemuDoes()
    {
        await using Served served = Served.Start(new Full.QapiDispatcher(new FullHandlers()), QmpSessionOptions.Default with { Version = Configured });
        await using RawConnection qmp = await RawConnection.ConnectAsync(served.Path);

        Assert.Equal("""{"QMP":{"version":{"qemu":{"micro":4,"minor":1,"major":3},"package":"builtins-test 3.1.4"},"capabilities":["oob"]}}""", await qmp.ReadLineAsync());
        Assert.Equal("""{"return":{}}""", await qmp.ExecuteAsync("""{"execute":"qmp_capabilities"}"""));
        Assert.Equal("""{"return":{"qemu":{"micro":4,"minor":1,"major":3},"package":"builtins-test 3.1.4"},"id":1}""",
            await qmp.ExecuteAsync("""{"execute":"query-version","id":1}"""));
        Assert.Equal("""{"return":[{"name":"add"},{"name":"ping"},{"name":"qmp_capabilities"},{"name":"query-version"},{"name":"query-commands"},{"name":"query-qmp-schema"}]}""",
            await qmp.ExecuteAsync("""{"execute":"query-commands"}"""));
        // Their arguments are checked as QEMU checks those of a command without any.
        Assert.Equal("""{"error":{"class":"GenericError","desc":"Parameter 'x' is unexpected"}}""",
            await qmp.ExecuteAsync("""{"execute":"query-version","arguments":{"x":1}}"""));
        Assert.Equal("""{"return":{"value":42}}""", await qmp.ExecuteAsync("""{"execute":"add","arguments":{"a":40,"b":2}}"""));

        using JsonDocument schema = JsonDocument.Parse(await qmp.ExecuteAsync("""{"execute":"query-qmp-schema"}"""));
        Introspection info = new(schema.RootElement.GetProperty("return"));
        Assert.Equal(["add", "ping", "qmp_capabilities", "query-version", "query-commands", "query-qmp-schema"], info.Names("command"));
        Assert.Equal(["TICKED"], info.Names("event"));
        info.AssertQemuBuiltIns();

        // None of them is a handler method: the table answers them.
        Assert.Equal(["AddAsync", "PingAsync"], typeof(Full.IQapiCommands).GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OurClientsFeatureDetectionSeesThem()
    {
        await using Served served = Served.Start(new Full.QapiDispatcher(new FullHandlers()), QmpSessionOptions.Default);
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        await using QmpClient client = await QmpClient.ConnectAsync("unix:" + served.Path, null, timeout.Token);
        foreach (string command in new[] { "qmp_capabilities", "query-version", "query-commands", "query-qmp-schema", "add", "ping" })
        {
            Assert.True(await client.Schema.HasCommandAsync(command, timeout.Token), command);
        }
        Assert.False(await client.Schema.HasCommandAsync("quit", timeout.Token));
        Assert.True(await client.Schema.HasReturnMemberAsync("query-version", "qemu.major", timeout.Token));
        Assert.True(await client.Schema.HasReturnMemberAsync("query-commands", "name", timeout.Token));
        Assert.True(await client.Schema.HasArgumentAsync("qmp_capabilities", "enable", timeout.Token));
        Assert.True(await client.Schema.HasEnumValueAsync("qmp_capabilities", "arguments.enable", "oob", cancellationToken: timeout.Token));
        Assert.True(await client.Schema.HasEventAsync("TICKED", timeout.Token));
    }

    [Fact]
    public async Task ASubsetListsWhatItServesAndTheBuiltIns()
    {
        Assert.Equal(["add", "qmp_capabilities", "query-version", "query-commands", "query-qmp-schema"], Subset.QapiDispatcher.Commands.Select(c => c.Name));
        await using Served served = Served.Start(new Subset.QapiDispatcher(new SubsetHandlers()), QmpSessionOptions.Default with { Version = Configured });
        await using RawConnection qmp = await RawConnection.ConnectAsync(served.Path);
        await qmp.ReadLineAsync();
        await qmp.ExecuteAsync("""{"execute":"qmp_capabilities"}""");
        Assert.Equal("""{"return":[{"name":"add"},{"name":"qmp_capabilities"},{"name":"query-version"},{"name":"query-commands"},{"name":"query-qmp-schema"}]}""",
            await qmp.ExecuteAsync("""{"execute":"query-commands"}"""));
        Assert.Equal("""{"error":{"class":"CommandNotFound","desc":"The command ping has not been found"}}""", await qmp.ExecuteAsync("""{"execute":"ping"}"""));
        using JsonDocument schema = JsonDocument.Parse(await qmp.ExecuteAsync("""{"execute":"query-qmp-schema"}"""));
        Introspection info = new(schema.RootElement.GetProperty("return"));
        Assert.Equal(["add", "qmp_capabilities", "query-version", "query-commands", "query-qmp-schema"], info.Names("command"));
        Assert.Empty(info.Names("event"));
        info.AssertQemuBuiltIns();
    }

    [Fact]
    public async Task TheVersionIsTheApplicationsUnlessConfigured()
    {
        // The default: the entry assembly's version, in the greeting and in query-version alike.
        QmpVersion application = QmpVersion.FromAssembly(Assembly.GetEntryAssembly());
        Assert.Equal(application, QmpVersion.Application);
        Assert.Equal(application, QmpSessionOptions.Default.Version);
        await using Served served = Served.Start(new Full.QapiDispatcher(new FullHandlers()), null);
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        await using QmpClient client = await QmpClient.ConnectAsync("unix:" + served.Path, null, timeout.Token);
        Assert.Equal(application, client.ServerVersion);
        JsonElement reply = await client.ExecuteAsync("query-version", cancellationToken: timeout.Token);
        Assert.Equal(application.Major, reply.GetProperty("qemu").GetProperty("major").GetInt32());
        Assert.Equal(application.Minor, reply.GetProperty("qemu").GetProperty("minor").GetInt32());
        Assert.Equal(application.Micro, reply.GetProperty("qemu").GetProperty("micro").GetInt32());
        Assert.Equal(application.Package, reply.GetProperty("package").GetString());
    }

    [Fact]
    public void AnAssemblysVersionIsItsInformationalVersion()
    {
        // This assembly's informational version comes from the build (MinVer: 0.2.0-alpha.0.N+SHA, or a tag's).
        Assembly assembly = typeof(BuiltInCommandsTests).Assembly;
        string informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        QmpVersion version = QmpVersion.FromAssembly(assembly);
        Assert.Equal(informational, version.Package);
        Assert.StartsWith($"{version.Major}.{version.Minor}.{version.Micro}", informational);
        Version assemblyVersion = assembly.GetName().Version!;
        Assert.Equal((assemblyVersion.Major, assemblyVersion.Minor), (version.Major, version.Minor));
        Assert.Equal(new QmpVersion(0, 0, 0), QmpVersion.FromAssembly(null));
    }

    [Fact]
    public async Task ASchemaThatDefinesOneKeepsItsOwn()
    {
        // The main test schema defines query-qmp-schema (returning its own type) and lacks the other three.
        string reply = await Dispatch.Run(new QapiGen.Generated.Tests.Qapi.QapiDispatcher(new Handlers()), "query-version");
        QmpVersion version = QmpSessionOptions.Default.Version;
        using JsonDocument answer = JsonDocument.Parse(reply);
        JsonElement qemu = answer.RootElement.GetProperty("qemu");
        Assert.Equal(new QmpVersion(qemu.GetProperty("major").GetInt32(), qemu.GetProperty("minor").GetInt32(), qemu.GetProperty("micro").GetInt32(),
            answer.RootElement.GetProperty("package").GetString()!), version);
        Assert.Equal(["qemu", "package"], answer.RootElement.EnumerateObject().Select(m => m.Name));
        Assert.Equal(["micro", "minor", "major"], qemu.EnumerateObject().Select(m => m.Name));
        Assert.Null(typeof(QapiGen.Generated.Tests.Qapi.IQapiCommands).GetMethod("QueryVersionAsync"));
        Assert.Single(QapiGen.Generated.Tests.Qapi.QapiDispatcher.Commands, c => c.Name == "query-qmp-schema");
    }

    /// <summary>A query-qmp-schema reply, indexed by entry name.</summary>
    private sealed class Introspection
    {
        private readonly List<JsonElement> _entries;
        private readonly Dictionary<string, JsonElement> _byName = new(StringComparer.Ordinal);

        public Introspection(JsonElement reply)
        {
            _entries = reply.EnumerateArray().ToList();
            foreach (JsonElement e in _entries)
            {
                Assert.True(_byName.TryAdd(e.GetProperty("name").GetString()!, e), "listed twice: " + e.GetProperty("name").GetString());
            }
            // Every type referenced is listed.
            foreach (JsonElement e in _entries)
            {
                foreach (string key in new[] { "arg-type", "ret-type", "element-type" })
                {
                    if (e.TryGetProperty(key, out JsonElement t))
                    {
                        Assert.True(_byName.ContainsKey(t.GetString()!), $"{t} is used but not listed");
                    }
                }
                foreach (string list in new[] { "members", "variants" })
                {
                    if (e.GetProperty("meta-type").GetString() != "enum" && e.TryGetProperty(list, out JsonElement ms))
                    {
                        foreach (JsonElement m in ms.EnumerateArray())
                        {
                            Assert.True(_byName.ContainsKey(m.GetProperty("type").GetString()!), $"{m} is used but not listed");
                        }
                    }
                }
            }
        }

        public List<string> Names(string metaType) =>
            _entries.Where(e => e.GetProperty("meta-type").GetString() == metaType).Select(e => e.GetProperty("name").GetString()!).ToList();

        private JsonElement Type(string name) => _byName[name];

        private JsonElement Member(JsonElement obj, string name) =>
            obj.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);

        private JsonElement TypeOf(JsonElement member) => Type(member.GetProperty("type").GetString()!);

        /// <summary>The built-ins are described with QEMU's types (names masked, as QEMU masks them).</summary>
        public void AssertQemuBuiltIns()
        {
            JsonElement capabilities = Type(Type("qmp_capabilities").GetProperty("arg-type").GetString()!);
            JsonElement enable = Member(capabilities, "enable");
            Assert.True(enable.TryGetProperty("default", out _)); // optional: "default": null
            JsonElement capability = Type(TypeOf(enable).GetProperty("element-type").GetString()!);
            Assert.Equal(["oob"], capability.GetProperty("values").EnumerateArray().Select(v => v.GetString()));

            JsonElement version = Type(Type("query-version").GetProperty("ret-type").GetString()!);
            Assert.Equal(["qemu", "package"], version.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
            Assert.Equal("str", Member(version, "package").GetProperty("type").GetString());
            JsonElement triple = TypeOf(Member(version, "qemu"));
            Assert.Equal(["major", "minor", "micro"], triple.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
            Assert.All(triple.GetProperty("members").EnumerateArray(), m => Assert.Equal("int", m.GetProperty("type").GetString()));

            JsonElement commandList = Type(Type("query-commands").GetProperty("ret-type").GetString()!);
            JsonElement commandInfo = Type(commandList.GetProperty("element-type").GetString()!);
            Assert.Equal("str", Member(commandInfo, "name").GetProperty("type").GetString());

            JsonElement schemaList = Type(Type("query-qmp-schema").GetProperty("ret-type").GetString()!);
            JsonElement schemaInfo = Type(schemaList.GetProperty("element-type").GetString()!);
            Assert.Equal("meta-type", schemaInfo.GetProperty("tag").GetString());
            Assert.Equal(["builtin", "enum", "array", "object", "alternate", "command", "event"],
                schemaInfo.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("case").GetString()));
            JsonElement command = Type(schemaInfo.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("case").GetString() == "command").GetProperty("type").GetString()!);
            Assert.Equal(["arg-type", "ret-type", "allow-oob"], command.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        }
    }

    /// <summary>A monitor on a fresh unix socket.</summary>
    private sealed class Served : IAsyncDisposable
    {
        private readonly QmpMonitor _monitor;

        private Served(string path, QmpMonitor monitor)
        {
            Path = path;
            _monitor = monitor;
        }

        public string Path { get; }

        public static Served Start(IQmpDispatcher dispatcher, QmpSessionOptions? options)
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qapigen-bi-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
            QmpMonitor monitor = new("mon0", QmpListener.Create("unix:" + path), dispatcher, options, ownsListener: true);
            monitor.Start();
            return new Served(path, monitor);
        }

        public async ValueTask DisposeAsync() => await _monitor.DisposeAsync();
    }

    /// <summary>A client that reads the server's lines as sent (no parsing, no reformatting).</summary>
    private sealed class RawConnection : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly StreamReader _reader;
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

        private RawConnection(Socket socket)
        {
            _socket = socket;
            _reader = new StreamReader(new NetworkStream(socket, ownsSocket: false), Encoding.UTF8);
        }

        public static async Task<RawConnection> ConnectAsync(string path)
        {
            Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
            return new RawConnection(socket);
        }

        public async Task<string> ReadLineAsync() =>
            await _reader.ReadLineAsync(_timeout.Token) ?? throw new EndOfStreamException("the server closed the connection");

        public async Task<string> ExecuteAsync(string request)
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(request + "\n"), SocketFlags.None, _timeout.Token);
            return await ReadLineAsync();
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _socket.Dispose();
            _timeout.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
