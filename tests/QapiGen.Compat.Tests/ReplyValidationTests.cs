using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>Malformed replies the comparison could not follow are input errors, not crashes (found by <see cref="FuzzTests"/>).</summary>
public sealed class ReplyValidationTests : IDisposable
{
    private readonly TempSchemas _t = new();

    public void Dispose() => _t.Dispose();

    private const string Good = """
        [{"name": "ping", "meta-type": "command", "arg-type": "0", "ret-type": "0"},
         {"name": "0", "meta-type": "object", "members": []}]
        """;

    [Theory]
    [InlineData("""{"name": "ping", "meta-type": "command", "arg-type": "0", "ret-type": "0"}""", "'ping' is defined twice")]
    [InlineData("""{"name": "[1]", "meta-type": "array", "element-type": "[1]"}""", "'[1]' is an array of itself")]
    [InlineData("""{"name": "1", "meta-type": "object", "members": [{"name": "a", "type": "0"}, {"name": "a", "type": "0"}]}""", "'1' has member 'a' twice")]
    [InlineData("""{"name": "1", "meta-type": "enum", "members": [{"name": "a"}, {"name": "a"}]}""", "'1' has value 'a' twice")]
    [InlineData("""{"name": "1", "meta-type": "object", "members": [{"name": "t", "type": "0"}], "tag": "t", "variants": [{"case": "a", "type": "1"}]}""", "'1' is a branch of itself")]
    [InlineData("""{"name": "1", "meta-type": "object", "members": [{"name": "a", "type": "nope"}]}""", "references type 'nope'")]
    public async Task A_malformed_reply_is_an_input_error(string extra, string message)
    {
        string bad = _t.WriteRaw("bad.json", Good.TrimEnd().TrimEnd(']') + ",\n" + extra + "]");
        string good = _t.WriteRaw("good.json", Good);
        foreach ((string? old, string? @new) in new[] { (bad, good), (good, bad) })
        {
            (int code, string _, string? err) = await CompatRun.RunAsync(Path.GetDirectoryName(bad)!, old, @new);
            Assert.Equal(2, code);
            Assert.Contains(message, err);
        }
    }
}
