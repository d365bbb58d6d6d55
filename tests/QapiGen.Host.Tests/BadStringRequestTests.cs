using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Host.Tests.Support;
using Xunit;

namespace QapiGen.Host.Tests;

/// <summary>Requests whose strings QEMU rejects get QEMU's error and leave the session and the monitor serving.</summary>
public sealed class BadStringRequestTests
{
    /// <summary>
    /// A key holding a lone surrogate escape used to throw out of the request scan, which ended
    /// the session and with it the monitor's accept loop: no later client was ever served.
    /// </summary>
    [Theory]
    [InlineData("{\"ex\\udc00ecute\":\"query-status\"}", "JSON parse error, \\udc00 is not a valid Unicode character")]
    [InlineData("{\"execute\":\"query-status\",\"id\":\"\\ud800\"}", "JSON parse error, \\ud800 is not a valid Unicode character")]
    [InlineData("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":\"\\ud800\\u0041\"}}", "JSON parse error, \\ud800 is not a valid Unicode character")]
    [InlineData("{\"execute\":\"getfd\",\"arguments\":{\"fd\\uFFFFname\":\"x\"}}", "JSON parse error, \\uFFFF is not a valid Unicode character")]
    public async Task LoneSurrogatesGetQemusErrorAndTheMonitorGoesOn(string request, string error)
    {
        await using TestHost host = await TestHost.StartAsync("-S");
        await using (RawQmp first = await host.ConnectAsync())
        {
            JsonElement reply = await first.ExecuteAsync(request);
            Assert.Equal(error, reply.GetProperty("error").GetProperty("desc").GetString());
            Assert.False(reply.TryGetProperty("id", out _));
            Assert.True((await first.ExecuteAsync("{\"execute\":\"query-status\"}")).TryGetProperty("return", out _));
        }
        await using RawQmp second = await host.ConnectAsync();
        Assert.True((await second.ExecuteAsync("{\"execute\":\"query-status\"}")).TryGetProperty("return", out _));
    }
}
