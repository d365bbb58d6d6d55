using System;
using System.Text;
using System.Threading;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>
/// The comparison follows types recursively: how deep it goes is bounded
/// (<see cref="CompatChecker.MaxNesting"/>), so types nested deeper, or a reply whose union is its
/// own branch, are reported as an error instead of exhausting the stack.
/// </summary>
public sealed class DeepTypeTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    /// <summary>
    /// Runs <paramref name="action"/> on a thread with a known stack (1 MiB), far more than the
    /// bounded recursion needs, so the outcome does not depend on the test runner's threads.
    /// </summary>
    private static Exception? OnOwnStack(Action action)
    {
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                caught = e;
            }
        }, 1024 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "comparison did not finish");
        return caught;
    }

    /// <summary>A command whose argument is a struct whose member is a struct... <paramref name="depth"/> deep.</summary>
    private static string MemberChain(int depth)
    {
        StringBuilder sb = new StringBuilder("""{ "command": "use", "data": { "a": "Nest0" } }""").Append('\n');
        for (int i = 0; i < depth; i++)
        {
            string data = i + 1 < depth ? $$"""{ "next": "Nest{{i + 1}}" }""" : """{ "x": "int" }""";
            sb.Append($$"""{ "struct": "Nest{{i}}", "data": {{data}} }""").Append('\n');
        }
        return sb.ToString();
    }

    [Fact]
    public void TypesNestedWithinTheBoundAreCompared()
    {
        int depth = CompatChecker.MaxNesting - 2;
        string changed = MemberChain(depth).Replace("""{ "x": "int" }""", """{ "x": "str" }""");
        Exception? e = null;
        var findings = default(System.Collections.Generic.IReadOnlyList<Finding>);
        e = OnOwnStack(() => findings = _t.Compare(MemberChain(depth), changed));
        Assert.Null(e);
        Finding f = FindingAsserts.Single(findings!, "type-changed", "x");
        Assert.EndsWith(".next.x", f.Path);
    }

    [Fact]
    public void TypesNestedPastTheBoundAreALocatedError()
    {
        string text = MemberChain(2_000);
        Exception? e = OnOwnStack(() => _t.Compare(text, text));
        CompatLoadException load = Assert.IsType<CompatLoadException>(e);
        Assert.Matches($@"^\S*old-\w+\.json:\d+: types nest more than {CompatChecker.MaxNesting} levels deep, at use\(arguments\)\.a(\.next)+$", load.Message);
    }

    [Fact]
    public void AReplyWhoseUnionIsItsOwnBranchIsAnError()
    {
        // Introspection as a server could send it, though no schema can produce it.
        const string reply = """
            [ { "name": "use", "meta-type": "command", "arg-type": "0", "ret-type": "1" },
              { "name": "0", "meta-type": "object", "members": [ { "name": "kind", "type": "2" } ], "tag": "kind",
                "variants": [ { "case": "a", "type": "0" } ] },
              { "name": "1", "meta-type": "object", "members": [] },
              { "name": "2", "meta-type": "enum", "values": [ "a" ], "members": [ { "name": "a" } ] } ]
            """;
        string path = _t.WriteRaw("reply.json", reply);
        Exception? e = OnOwnStack(() => CompatChecker.Compare(SchemaSnapshotLoader.Load(path, false), SchemaSnapshotLoader.Load(path, false)));
        // The reply's own check refuses it before any comparison walks it.
        CompatInputException load = Assert.IsType<CompatInputException>(e);
        Assert.Contains("branch", load.Message);
    }
}
