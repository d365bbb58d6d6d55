namespace QapiGen.Generated.Tests;

public class Smoke
{
    [Xunit.Fact]
    public void Builds() => Xunit.Assert.NotNull(typeof(Qapi.Widget));
}
