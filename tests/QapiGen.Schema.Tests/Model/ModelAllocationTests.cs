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
    [Fact]
    public void AUnionBranchCostsItsObjectsAndNoClosure()
    {
        const int Branches = 1000;
        long perBranch = (Allocation.OfOneThreadLoad(WideSchemas.Union(0, 2 * Branches)) - Allocation.OfOneThreadLoad(WideSchemas.Union(0, Branches))) / Branches;
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
        long perStruct = (Allocation.OfOneThreadLoad(Structs(2 * Count)) - Allocation.OfOneThreadLoad(Structs(Count))) / Count;
        output.WriteLine($"{perStruct} bytes per struct");
        // Measured 1,701 bytes; the schema's entity table and list grown step by step, the member
        // index of each struct grown from empty and an enumerator per loop over its members made it
        // 2,218, and a list of the base chain per type checked and per type flattened 1,957.
        Assert.True(perStruct < 1850, $"{perStruct} bytes per struct");
    }
}
