using System;
using QapiGen.Schema;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>
/// Mistakes in QEMU's older language are located errors, as in the current one: what
/// <c>qapigen compat --lenient</c> prints with exit status 2, never an internal exception.
/// </summary>
public sealed class LenientErrorTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    private string Error(string text)
    {
        string path = _t.Write("old.json", text);
        CompatInputException e = Assert.Throws<CompatInputException>(() => SchemaSnapshotLoader.Load(path, lenient: true));
        return e.Message.Replace(path, "old.json");
    }

    [Fact]
    public void ASimpleUnionBranchOfAnUnknownTypeNamesTheBranch()
    {
        Assert.Equal("old.json: In union 'Addr':\nold.json:2: branch 'inet' uses unknown type 'Missing'",
            Error("""{ "command": "connect", "data": { "addr": "Addr" } }\n{ "union": "Addr", "data": { "inet": "Missing" } }""".Replace("\\n", "\n")));
    }

    [Fact]
    public void TheArrayFormReportsTheElementType()
    {
        Assert.Equal("old.json: In union 'Addr':\nold.json:1: union uses unknown type 'Missing'",
            Error("""{ "union": "Addr", "data": { "many": [ "Missing" ] } }"""));
    }

    [Fact]
    public void AWrapperSharedByTwoUnionsIsReportedAtTheFirstThatUsesIt()
    {
        // Branches of the same type share one wrapper type: the first union in the file owns it.
        Assert.Equal("old.json: In union 'First':\nold.json:1: branch 'a' uses unknown type 'Missing'",
            Error("""{ "union": "First", "data": { "a": "Missing" } }\n{ "union": "Second", "data": { "b": "Missing" } }""".Replace("\\n", "\n")));
    }

    [Fact]
    public void TheFrontEndItselfReportsItWithLenientOptions()
    {
        string path = _t.Write("old.json", """{ "union": "Addr", "data": { "inet": "Missing" } }""");
        QapiSemError e = Assert.ThrowsAny<QapiSemError>(() => QapiSchema.Load(path, null, new QapiSchemaOptions { Lenient = true }));
        Assert.Equal("branch 'inet' uses unknown type 'Missing'", e.Detail);
        Assert.Equal(1, e.Info!.Line);
    }

    [Fact]
    public async System.Threading.Tasks.Task Qapigen_compat_exits_2_with_the_located_error()
    {
        string old = _t.Write("old.json", """{ "union": "Addr", "data": { "inet": "Missing" } }""");
        (int code, string _, string? err) = await CompatRun.RunAsync(System.IO.Path.GetDirectoryName(old)!, old, old, "--lenient");
        Assert.Equal(2, code);
        Assert.Contains($"{old}:1", err);
        Assert.Contains("branch 'inet' uses unknown type 'Missing'", err);
    }
}
