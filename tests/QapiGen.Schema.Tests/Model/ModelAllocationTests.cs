using System;
using System.Text;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Schema.Tests.Model;

/// <summary>
/// What building and checking the model costs per definition and per branch: in a short-lived
/// <c>qapigen</c> every fresh page is paid for (docs/native.md), so tables are made once at their
/// size and loops make no delegate, closure or boxed enumerator.
/// </summary>
public sealed class ModelAllocationTests(ITestOutputHelper output)
{
    // A load on this thread alone (no file parsed ahead, expressions checked in order), so that the
    // thread's allocation is the whole load's.
    private static long LoadAllocation(string text)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("main.json", text);
        void Load()
        {
            QapiSchemaParser parser = QapiSchemaParser.Parse("main.json", fs, null, 0);
            QapiSchema.Build("main.json", ExprChecker.CheckExprs(parser.Exprs, null, false), parser.Docs, fs);
        }
        Load();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Load();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static string Union(int branches)
    {
        var text = new StringBuilder("{ 'enum': 'Kind', 'data': [");
        for (int i = 0; i < branches; i++)
        {
            text.Append($" 'k{i}',");
        }
        text.Append(" 'last' ] }\n{ 'union': 'Choice', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': {");
        for (int i = 0; i < branches; i++)
        {
            text.Append($" 'k{i}': 'Branch',");
        }
        return text.Append(" 'last': 'Branch' } }\n{ 'struct': 'Branch', 'data': { 'own': 'str' } }\n").ToString();
    }

    [Fact]
    public void AUnionBranchCostsItsObjectsAndNoClosure()
    {
        const int Branches = 1000;
        long perBranch = (LoadAllocation(Union(2 * Branches)) - LoadAllocation(Union(Branches))) / Branches;
        output.WriteLine($"{perBranch} bytes per branch");
        // Measured 876 bytes (its enum value and branch: tokens, objects, the long form); a delegate,
        // a closure and an enumerator per branch to find its enum value made it 1,133, and a list of
        // the base chain per type checked 1,004.
        Assert.True(perBranch < 950, $"{perBranch} bytes per branch");
    }

    private static string Structs(int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append($"{{ 'struct': 'Thing{(char)('a' + i % 26)}{(char)('a' + i / 26 % 26)}{(char)('a' + i / 676 % 26)}', 'data': {{ 'a': 'int', 'b': 'str', 'c': 'bool' }} }}\n");
        }
        return text.ToString();
    }

    [Fact]
    public void AStructCostsItsObjectsAndTablesMadeOnce()
    {
        const int Count = 2000;
        long perStruct = (LoadAllocation(Structs(2 * Count)) - LoadAllocation(Structs(Count))) / Count;
        output.WriteLine($"{perStruct} bytes per struct");
        // Measured 1,701 bytes; the schema's entity table and list grown step by step, the member
        // index of each struct grown from empty and an enumerator per loop over its members made it
        // 2,218, and a list of the base chain per type checked and per type flattened 1,957.
        Assert.True(perStruct < 1850, $"{perStruct} bytes per struct");
    }
}
