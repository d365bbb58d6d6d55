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

    [Fact]
    public void ADocCommentCostsItsTextAndSectionsAndLittleElse()
    {
        const int Count = 2000;
        long perDoc = (Allocation.OfParse(Definitions(Count, true)) - Allocation.OfParse(Definitions(Count, false))) / Count;
        output.WriteLine($"{perDoc} bytes per doc comment");
        // Measured 1,084 bytes (the block, its six sections, their names and texts, its location); two
        // dictionaries and two order lists per comment, a list of its blocks and a fatter event per
        // definition made it 1,770.
        Assert.True(perDoc < 1300, $"{perDoc} bytes allocated per doc comment");
    }

    [Fact]
    public void AFilesDocTextCostsItsBytesNotAString()
    {
        // Each file has one doc comment of 4,000 characters. Its section text, as a string, is 8 KB; a
        // section keeps its lines in the file's UTF-8 bytes (4 KB, the copy an in-memory text is
        // encoded into) and makes the string only when read.
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
            return Allocation.OfSecondRun(() => QapiSchemaParser.Parse("main.json", fs, null, 0));
        }

        long perFile = (PerFile(Files + 1) - PerFile(1)) / Files;
        output.WriteLine($"{perFile} bytes per file");
        // Measured 6.7 KB (the bytes, the include and the file's objects); with the section's string
        // 10.0 KB, and 20.5 KB when a builder was made per file.
        Assert.True(perFile < 8_000, $"{perFile} bytes allocated per file");
    }

    [Fact]
    public void AFileFromDiskCostsItsBytesNotItsTextAsUtf16()
    {
        // A file of doc comments, long ones, as QEMU's are (three quarters of its bytes). Lexed as its UTF-8 bytes,
        // with sections kept as lines of them and made strings only when read, a parse allocates about
        // the file's bytes; decoding the file to a string (two bytes a character) and copying each
        // section's text out (two more) made it over four bytes a byte.
        string dir = System.IO.Directory.CreateTempSubdirectory("qapigen-docbytes-").FullName;
        try
        {
            string paragraph = string.Concat(System.Linq.Enumerable.Repeat("\n#  More of the thing, at some length, to fill a line of a comment.", 20));
            string text = Definitions(2000, true).Replace("The thing.", "The thing, described at some length over a line." + paragraph);
            System.IO.File.WriteAllText(System.IO.Path.Combine(dir, "main.json"), text);
            var fs = new RootedFileSystem(dir);
            QapiSchemaParser p = QapiSchemaParser.Parse("main.json", fs, null, 0);
            long docsAndExprs = Allocation.During(() => p = QapiSchemaParser.Parse("main.json", fs, null, 0));
            long exprsAlone = Allocation.OfParse(Definitions(2000, false));
            double perByte = (double)(docsAndExprs - exprsAlone) / text.Length;
            output.WriteLine($"{perByte:F2} bytes allocated per byte of file");
            // Measured 1.7 (the bytes, the docs' objects, a position per line); 5.4 before.
            Assert.True(perByte < 2.5, $"{perByte:F2} bytes allocated per byte of file");
            Assert.Equal("The thing, described at some length over a line." + paragraph.Replace("\n#  ", "\n "), p.Docs[7].Body.Text);
            Assert.Equal("the c", System.Linq.Enumerable.ElementAt(p.Docs[7].Args, 2).Text);
        }
        finally
        {
            System.IO.Directory.Delete(dir, true);
        }
    }
}
