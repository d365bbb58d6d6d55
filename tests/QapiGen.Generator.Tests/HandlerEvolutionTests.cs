using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// Handler code written for an older schema, compiled unchanged against newer ones, as a project that
/// upgrades its schema does. Derived from <c>QapiCommandsBase</c> (overrides take argument records), it
/// survives every compatible change QAPI allows a server: an optional argument (also on a command that had
/// none), a new command, an optional output member; and it serves the newer schema over a socket. The
/// positional <c>IQapiCommands</c> implementation does not survive an added argument: that is its trade-off.
/// </summary>
public class HandlerEvolutionTests
{
    private const string Older = """
        { 'struct': 'Sum', 'data': { 'value': 'int' } }
        { 'command': 'add', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'Sum' }
        { 'command': 'ping' }
        """;

    // (a) optional arguments: one more on 'add', the first on 'ping'.
    private const string AddedOptionalArgument = """
        { 'struct': 'Sum', 'data': { 'value': 'int' } }
        { 'command': 'add', 'data': { 'a': 'int', 'b': 'int', '*c': 'int' }, 'returns': 'Sum' }
        { 'command': 'ping', 'data': { '*echo': 'str' } }
        """;

    // (b) a new command.
    private const string AddedCommand = """
        { 'struct': 'Sum', 'data': { 'value': 'int' } }
        { 'command': 'add', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'Sum' }
        { 'command': 'ping' }
        { 'command': 'subtract', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'Sum' }
        """;

    // (c) an optional output member.
    private const string AddedOutputMember = """
        { 'struct': 'Sum', 'data': { 'value': 'int', '*overflow': 'bool' } }
        { 'command': 'add', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'Sum' }
        { 'command': 'ping' }
        """;

    // All three at once, for the run over a socket.
    private const string Newer = """
        { 'struct': 'Sum', 'data': { 'value': 'int', '*overflow': 'bool' } }
        { 'command': 'add', 'data': { 'a': 'int', 'b': 'int', '*c': 'int' }, 'returns': 'Sum' }
        { 'command': 'ping', 'data': { '*echo': 'str' } }
        { 'command': 'subtract', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'Sum' }
        """;

    /// <summary>Written for <see cref="Older"/>, derived from the evolution-safe base.</summary>
    private const string DerivedFromBase = """
        using System.Threading;
        using System.Threading.Tasks;
        using QapiGen.Runtime.Protocol;

        namespace Test.Qapi;

        public sealed class OlderCommands : QapiCommandsBase
        {
            public int Pings { get; private set; }

            public override ValueTask<Sum> AddAsync(QmpCommandContext context, AddArguments arguments, CancellationToken cancellationToken) =>
                new(new Sum { Value = arguments.A + arguments.B });

            public override ValueTask PingAsync(QmpCommandContext context, PingArguments arguments, CancellationToken cancellationToken)
            {
                Pings++;
                return default;
            }
        }
        """;

    /// <summary>Written for <see cref="Older"/>, implementing the interface's positional methods.</summary>
    private const string Positional = """
        using System.Threading;
        using System.Threading.Tasks;
        using QapiGen.Runtime.Protocol;

        namespace Test.Qapi;

        public sealed class PositionalCommands : IQapiCommands
        {
            public ValueTask<Sum> AddAsync(QmpCommandContext context, long a, long b, CancellationToken cancellationToken) =>
                new(new Sum { Value = a + b });

            public ValueTask PingAsync(QmpCommandContext context, CancellationToken cancellationToken) => default;
        }
        """;

    /// <summary>Serves <c>OlderCommands</c> on a unix socket and calls the newer schema's commands with the generated client.</summary>
    private const string Probe = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using QapiGen.Runtime.Protocol;
        using QapiGen.Runtime.Server;
        using QapiGen.Runtime.Transports;

        namespace Test.Qapi;

        public static class EvolutionProbe
        {
            public static async Task<List<string>> RunAsync(string path)
            {
                var results = new List<string>();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var commands = new OlderCommands();
                await using QmpMonitor monitor = new("mon0", QmpListener.Create("unix:" + path), new QapiDispatcher(commands), ownsListener: true);
                monitor.Start();
                await using (QapiClient client = await QapiClient.ConnectAsync("unix:" + path, cancellationToken: timeout.Token))
                {
                    Sum sum = await client.AddAsync(2, 40, c: 1000, cancellationToken: timeout.Token);
                    results.Add("add " + sum.Value + " overflow " + (sum.Overflow?.ToString() ?? "absent"));
                    await client.PingAsync(echo: "x", cancellationToken: timeout.Token);
                    results.Add("pings " + commands.Pings);
                    try
                    {
                        await client.SubtractAsync(5, 3, cancellationToken: timeout.Token);
                        results.Add("subtract answered");
                    }
                    catch (QmpException e)
                    {
                        results.Add("subtract " + e.Error.Class + ": " + e.Error.Description);
                    }
                    results.Add("add again " + (await client.AddAsync(1, 2, cancellationToken: timeout.Token)).Value);
                }
                await monitor.StopGracefullyAsync(TimeSpan.FromSeconds(5));
                return results;
            }
        }
        """;

    private static List<Diagnostic> Compile(string schema, params string[] sources)
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult _) = Run(schema, sources);
        Assert.Empty(generatorDiagnostics);
        return Harness.Problems(output);
    }

    private static (Compilation, ImmutableArray<Diagnostic>, GeneratorDriverRunResult) Run(string schema, params string[] sources)
    {
        List<(string, string, bool)> files = [(Harness.Root + "qapi-schema.json", schema, true)];
        (ImmutableArray<AdditionalText> texts, MemoryOptionsProvider options) = Harness.Inputs(files);
        Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation = Harness.Compilation(null, sources);
        GeneratorDriver driver = Harness.Driver(texts, options, (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)compilation.SyntaxTrees.First().Options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    [Fact]
    public void BothImplementationsCompileAgainstTheSchemaTheyWereWrittenFor()
    {
        List<Diagnostic> problems = Compile(Older, DerivedFromBase, Positional);
        Assert.True(problems.Count == 0, Harness.Format(problems));
    }

    [Theory]
    [InlineData(nameof(AddedOptionalArgument))]
    [InlineData(nameof(AddedCommand))]
    [InlineData(nameof(AddedOutputMember))]
    [InlineData(nameof(Newer))]
    public void AnImplementationDerivedFromTheBaseCompilesUnchangedAgainstANewerSchema(string newer)
    {
        List<Diagnostic> problems = Compile(Schema(newer), DerivedFromBase);
        Assert.True(problems.Count == 0, Harness.Format(problems));
    }

    /// <summary>The documented trade-off: a positional method changes signature when an argument is added.</summary>
    [Fact]
    public void APositionalImplementationBreaksOnAnAddedOptionalArgument()
    {
        List<Diagnostic> problems = Compile(AddedOptionalArgument, Positional);
        // Neither AddAsync(context, a, b, c, token) nor PingAsync(context, echo, token) is implemented.
        Assert.Equal(2, problems.Count(d => d.Id == "CS0535"));
        Assert.All(problems, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Contains(problems, d => d.GetMessage().Contains("IQapiCommands.AddAsync(QmpCommandContext, long, long, long?, CancellationToken)", StringComparison.Ordinal));
        // A new command breaks it too (the compiler names the command to serve); an output member does not.
        Assert.Contains(Compile(AddedCommand, Positional), d => d.Id == "CS0535" && d.GetMessage().Contains("SubtractAsync", StringComparison.Ordinal));
        Assert.Empty(Compile(AddedOutputMember, Positional));
    }

    [Fact]
    public async Task TheOlderImplementationServesTheNewerSchemaOverASocket()
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult _) = Run(Newer, DerivedFromBase, Probe);
        Assert.Empty(generatorDiagnostics);
        using var image = new MemoryStream();
        EmitResult emit = output.Emit(image);
        Assert.True(emit.Success, Harness.Format(emit.Diagnostics));
        Assert.Empty(emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assembly assembly = Assembly.Load(image.ToArray());
        MethodInfo run = assembly.GetType("Test.Qapi.EvolutionProbe", throwOnError: true)!.GetMethod("RunAsync")!;

        string path = Path.Combine(Path.GetTempPath(), "qapigen-evo-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".sock");
        List<string> results = await ((Task<List<string>>)run.Invoke(null, [path])!).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(
        [
            // The added argument reaches the server, which ignores it; the added output member is absent.
            "add 42 overflow absent",
            "pings 1",
            // The command the implementation predates answers as QEMU answers for a command it lacks.
            "subtract CommandNotFound: The command subtract has not been found",
            "add again 3",
        ], results);
    }

    private static string Schema(string name) => name switch
    {
        nameof(AddedOptionalArgument) => AddedOptionalArgument,
        nameof(AddedCommand) => AddedCommand,
        nameof(AddedOutputMember) => AddedOutputMember,
        nameof(Newer) => Newer,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
