using System.IO;
using System.Linq;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Runtime.Tests;

/// <summary>The leak check itself: it must see an fd that stays open, and name what it refers to.</summary>
[Collection(FdCountingCollection.Name)]
public sealed class FdSnapshotTests
{
    [Fact]
    public void AnFdLeftOpenIsReportedWithItsTarget()
    {
        string path = Path.GetTempFileName();
        FdSnapshot before = FdSnapshot.Take();
        using (FileStream open = File.OpenRead(path))
        {
            Assert.Contains(FdSnapshot.Take().NewSince(before), fd => fd.EndsWith(" -> " + path, System.StringComparison.Ordinal));
        }
        Assert.DoesNotContain(FdSnapshot.Take().NewSince(before), fd => fd.EndsWith(" -> " + path, System.StringComparison.Ordinal));
        File.Delete(path);
    }
}
