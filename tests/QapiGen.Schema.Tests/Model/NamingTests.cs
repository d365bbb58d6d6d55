using QapiGen.Schema.Naming;
using Xunit;

namespace QapiGen.Schema.Tests.Model;

/// <summary>The C naming helpers the model and emitters share.</summary>
public class NamingTests
{
    [Theory]
    [InlineData("x-foo.bar", true, "x_foo_bar")]
    [InlineData("__com.example_thing", true, "__com_example_thing")]
    [InlineData("int", true, "q_int")]
    [InlineData("int", false, "int")]
    [InlineData("unix", true, "q_unix")]
    [InlineData("1st", true, "q_1st")]
    [InlineData("plain", true, "plain")]
    public void CName(string name, bool protect, string expected)
        => Assert.Equal(expected, QapiNaming.CName(name, protect));

    [Theory]
    [InlineData("BlockdevDriver", "BLOCKDEV_DRIVER")]
    [InlineData("QType", "Q_TYPE")] // hence its explicit prefix
    [InlineData("ENUM", "ENUM")]
    [InlineData("Int2Ab", "INT2_AB")]
    [InlineData("x-Thing", "X_THING")]
    public void CamelToUpper(string name, string expected)
        => Assert.Equal(expected, QapiNaming.CamelToUpper(name));

    [Fact]
    public void CEnumConst()
    {
        Assert.Equal("BLOCKDEV_DRIVER_QCOW2", QapiNaming.CEnumConst("BlockdevDriver", "qcow2"));
        Assert.Equal("QTYPE_QNULL", QapiNaming.CEnumConst("QType", "qnull", "QTYPE"));
        Assert.Equal("NET_MODE_TAP_VHOST", QapiNaming.CEnumConst("NetMode", "tap-vhost"));
    }
}
