using System;
using System.Text;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Schema.Tests.Model;

/// <summary>
/// What a member costs a load: a schema has thousands, and in a short-lived <c>qapigen</c> every
/// fresh page is paid for (docs/native.md). Checking one must not make a delegate, a clash table or
/// a C name per member only in case of an error.
/// </summary>
public sealed class MemberCheckAllocationTests(ITestOutputHelper output)
{
    private static string Struct(int members)
    {
        var text = new StringBuilder("##\n# @Wide:\n#\n");
        for (int i = 0; i < members; i++)
        {
            text.Append($"# @member-{i}: member {i}\n#\n");
        }
        text.Append("##\n{ 'struct': 'Wide', 'data': {");
        for (int i = 0; i < members; i++)
        {
            text.Append($" '*member-{i}': 'str',");
        }
        return text.Append(" 'last': 'int' } }\n").ToString();
    }

    [Fact]
    public void ADocumentedMemberCostsItsTextItsObjectsAndLittleElse()
    {
        const int More = 2000;
        string small = Struct(1), large = Struct(1 + More);
        long perMember = (Allocation.OfLoad(large) - Allocation.OfLoad(small)) / More;
        output.WriteLine($"{perMember} bytes per member");
        // Measured 1,119 bytes (the member's token, doc line, description text and objects); a
        // delegate, a clash table and a closure per member, the C names made for the checks and a
        // copy of every token made it 1,654.
        Assert.True(perMember < 1400, $"{perMember} bytes allocated per member");
    }

    [Fact]
    public void ABranchsClashCheckDoesNotCopyTheBasesMembers()
    {
        // The same union with a base of 1 and of 60 members: a branch costs the same either way.
        const int Branches = 400;
        long perBranch = (Allocation.OfLoad(WideSchemas.Union(60, Branches)) - Allocation.OfLoad(WideSchemas.Union(1, Branches))) / Branches;
        output.WriteLine($"{perBranch} bytes per branch more with 59 more base members");
        // A copy of the base's members per branch (two lists and an index of 60) made it 6,951 bytes.
        Assert.True(perBranch < 300, $"{perBranch} bytes per branch");
    }

    [Theory]
    [InlineData("q_x", "q_", true)]
    [InlineData("q-x", "q_", true)]
    [InlineData("q.x", "q_", true)]
    [InlineData("qx", "q_", false)]
    [InlineData("q", "q_", false)]
    [InlineData("has-x", "has_", true)]
    [InlineData("has_x", "has_", true)]
    [InlineData("hasx", "has_", false)]
    [InlineData("Has-x", "has_", false)]
    public void CNameStartsWithIsTheCNamesStartsWith(string name, string prefix, bool expected)
    {
        Assert.Equal(expected, Names.CNameStartsWith(name, prefix));
        Assert.Equal(Names.CNameUnprotected(name).StartsWith(prefix, StringComparison.Ordinal), Names.CNameStartsWith(name, prefix));
    }
}
