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

    private static long LoadAllocation(string text)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("main.json", text);
        QapiSchema.Load("main.json", fs);
        long before = GC.GetAllocatedBytesForCurrentThread();
        QapiSchema.Load("main.json", fs);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void ADocumentedMemberCostsItsTextItsObjectsAndLittleElse()
    {
        const int More = 2000;
        string small = Struct(1), large = Struct(1 + More);
        long perMember = (LoadAllocation(large) - LoadAllocation(small)) / More;
        output.WriteLine($"{perMember} bytes per member");
        // Measured 1,119 bytes (the member's token, doc line, description text and objects); a
        // delegate, a clash table and a closure per member, the C names made for the checks and a
        // copy of every token made it 1,654.
        Assert.True(perMember < 1400, $"{perMember} bytes allocated per member");
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
