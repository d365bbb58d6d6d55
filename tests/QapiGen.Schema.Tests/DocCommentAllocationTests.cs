using System;
using System.Text;
using QapiGen.Schema.Parsing;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Schema.Tests;

/// <summary>
/// What a doc comment costs a parse: QEMU's schema has a thousand, with five thousand sections, and in
/// a short-lived <c>qapigen</c> every fresh page is paid for (docs/native.md). A comment must cost its
/// text and its sections, not tables and lists made in case it describes members or features.
/// </summary>
public sealed class DocCommentAllocationTests(ITestOutputHelper output)
{
    private static string Definitions(int count, bool documented)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (documented)
            {
                text.Append($"##\n# @S{i}:\n#\n# The thing.\n#\n# @a: the a\n#\n# @b: the b\n#\n# @c: the c\n#\n# @d: the d\n#\n# Since: 1.0\n##\n");
            }
            text.Append($"{{ 'struct': 'S{i}', 'data': {{ 'a': 'int', 'b': 'int', 'c': 'int', 'd': 'int' }} }}\n");
        }
        return text.ToString();
    }

    private static long ParseAllocation(string text)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("main.json", text);
        QapiSchemaParser.Parse("main.json", fs, null, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        QapiSchemaParser.Parse("main.json", fs, null, 0);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void ADocCommentCostsItsTextAndSectionsAndLittleElse()
    {
        const int Count = 2000;
        long perDoc = (ParseAllocation(Definitions(Count, true)) - ParseAllocation(Definitions(Count, false))) / Count;
        output.WriteLine($"{perDoc} bytes per doc comment");
        // Measured 1,084 bytes (the block, its six sections, their names and texts, its location); two
        // dictionaries and two order lists per comment, a list of its blocks and a fatter event per
        // definition made it 1,770.
        Assert.True(perDoc < 1300, $"{perDoc} bytes allocated per doc comment");
    }

    [Fact]
    public void FilesParsedOneAfterAnotherReuseTheBuilderOfTheirDocText()
    {
        // Each file has one doc comment of 4,000 characters. Its section text, as a string, is 8 KB; a
        // builder made per file grew to it again in every file (its chunks, then one array on reuse).
        const int Files = 100, Lines = 50;
        string doc = "##\n" + string.Concat(System.Linq.Enumerable.Repeat("# " + new string('x', 78) + "\n", Lines)) + "##\n";
        long PerFile(int files)
        {
            var fs = new InMemorySchemaFileSystem();
            var main = new StringBuilder();
            for (int i = 0; i < files; i++)
            {
                main.Append($"{{ 'include': 'f{i}.json' }}\n");
                fs.Add($"f{i}.json", doc);
            }
            fs.Add("main.json", main.ToString());
            QapiSchemaParser.Parse("main.json", fs, null, 0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            QapiSchemaParser.Parse("main.json", fs, null, 0);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long perFile = (PerFile(Files + 1) - PerFile(1)) / Files;
        output.WriteLine($"{perFile} bytes per file");
        // Measured 10.0 KB (the section's 8 KB string, the include and the file's objects); a builder
        // per file made it 20.5 KB.
        Assert.True(perFile < 14_000, $"{perFile} bytes allocated per file");
    }
}
