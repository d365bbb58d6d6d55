using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary><c>-D SYMBOL</c> / <c>-D ALL</c>: which build's interface is compared.</summary>
public sealed class ConditionTests : IDisposable
{
    private readonly TempSchemas _t = new();
    private readonly string _dir;

    public ConditionTests()
    {
        // 'kvm-only' exists only when CONFIG_KVM is defined; 'tcg-only' only when it is not.
        _t.WriteRaw("old.json", """
            { 'command': 'ping' }
            { 'command': 'kvm-only', 'if': 'CONFIG_KVM' }
            { 'command': 'tcg-only', 'if': { 'not': 'CONFIG_KVM' } }
            """);
        _dir = Path.GetDirectoryName(_t.WriteRaw("new.json", "{ 'command': 'ping' }\n"))!;
    }

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task WithoutSymbolsEveryConditionalDefinitionIsCompared()
    {
        (int code, string? output, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json");
        Assert.Equal(1, code);
        Assert.Contains("command-removed: kvm-only", output);
        Assert.Contains("command-removed: tcg-only", output);
    }

    [Fact]
    public async Task ABuildWithoutTheSymbolNeverHadTheCommand()
    {
        (int code, string? output, string _) = await CompatRun.RunAsync(_dir, "old.json", "new.json", "-D", "CONFIG_TCG");
        Assert.Equal(1, code);
        Assert.DoesNotContain("kvm-only", output);
        Assert.Contains("command-removed: tcg-only", output);
    }

    [Theory]
    [InlineData("-D", "CONFIG_KVM")]
    [InlineData("-DCONFIG_KVM", null)]
    [InlineData("--define", "CONFIG_TCG,CONFIG_KVM")]
    [InlineData("-D", "ALL")]
    public async Task ABuildWithTheSymbolLosesIt(string option, string? value)
    {
        string[] args = value == null ? new[] { "old.json", "new.json", option } : new[] { "old.json", "new.json", option, value };
        (int code, string? output, string _) = await CompatRun.RunAsync(_dir, args);
        Assert.Equal(1, code);
        Assert.Contains("command-removed: kvm-only", output);
        Assert.DoesNotContain("tcg-only", output); // not(CONFIG_KVM) is false there: the old side never had it
    }
}
