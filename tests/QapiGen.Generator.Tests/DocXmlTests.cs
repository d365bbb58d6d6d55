using QapiGen.CodeGen;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>Doc comments become XML docs: escaped, @references as code, rST literal blocks as code blocks.</summary>
public class DocXmlTests
{
    [Fact]
    public void ALiteralBlockAfterALoneDoubleColonBecomesACodeBlock()
    {
        string xml = SpecBuilder.Xml("histogram looks like:\n\n::\n\n   5|  *  <@x>\n   1| **\n     +---\n\nSince: 4.0")!;
        Assert.Equal("histogram looks like:\n\n<code>\n5|  *  &lt;@x&gt;\n1| **\n  +---\n</code>\n\nSince: 4.0", xml);
    }

    [Fact]
    public void AParagraphEndingInDoubleColonKeepsOneColon()
    {
        Assert.Equal("Example:\n<code>\n-&gt; { \"execute\": \"stop\" }\n&lt;- { \"return\": {} }\n</code>",
            SpecBuilder.Xml("Example::\n\n    -> { \"execute\": \"stop\" }\n    <- { \"return\": {} }"));
    }

    [Fact]
    public void ACodeBlockDirectiveBecomesACodeBlock()
    {
        Assert.Equal("See @a:\n<code>\n{ 'x': 1 }\n</code>".Replace("@a", "<c>a</c>"),
            SpecBuilder.Xml("See @a:\n.. code-block:: json\n\n   { 'x': 1 }"));
    }

    [Fact]
    public void ProseWithDoubleColonsInsideIsLeftAlone()
    {
        Assert.Equal("IPv6 prefix (default is fec0::) of <c>net</c>", SpecBuilder.Xml("IPv6 prefix (default is fec0::) of @net"));
        Assert.Equal("ends with::", SpecBuilder.Xml("ends with::"));
    }
}
