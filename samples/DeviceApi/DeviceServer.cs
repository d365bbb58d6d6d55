using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QapiGen.Samples.DeviceApi.Qapi;

namespace QapiGen.Samples.DeviceApi;

/// <summary><c>server SOCKET</c>: serves the device API on a unix socket until the host is stopped (SIGINT, SIGTERM).</summary>
public static class DeviceServer
{
    public static async Task RunAsync(string socketPath)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IQapiCommands, DeviceCommands>();
        builder.Services.AddQmpServer(o => o.Listen("unix:" + socketPath)).AddDispatcher<QapiDispatcher>();
        await builder.Build().RunAsync();
    }
}
