using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Introspection;
using Xunit;

namespace QapiGen.Schema.Tests;

/// <summary>The comparison used to print introspection objects agrees with QEMU's bucket walk.</summary>
public class QemuDictOrderTests
{
    private static readonly string[] Keys =
    {
        "name", "meta-type", "features", "json-type", "members", "values", "element-type", "tag",
        "variants", "case", "type", "default", "arg-type", "ret-type", "allow-oob",
    };

    [Fact]
    public void ComparisonMatchesTheBucketWalkForEverySubsetOfKeys()
    {
        int checkedSets = 0;
        for (int mask = 1; mask < 1 << Keys.Length; mask += 7)
        {
            var keys = Keys.Where((_, i) => (mask & (1 << i)) != 0).ToList();
            IReadOnlyList<string> expected = QemuDictOrder.Order(keys.OrderBy(k => k, StringComparer.Ordinal).ToList());
            var actual = keys.ToList();
            actual.Sort(QemuDictOrder.CompareGenerated);
            Assert.Equal(expected, actual);
            checkedSets++;
        }
        Assert.True(checkedSets > 4000);
    }

    [Fact]
    public void CommandEntriesPrintInQemusOrder()
        => Assert.Equal(new[] { "name", "ret-type", "meta-type", "arg-type" },
            QemuDictOrder.Order(new List<string> { "arg-type", "meta-type", "name", "ret-type" }));
}
