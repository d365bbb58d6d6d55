using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Generated.Tests.HostClient;
using QapiGen.Host.Hosting;
using QapiGen.Host.Options;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>
/// A consumer that generates only the client side of a subset of the host's schema (<c>Generate="Client"</c>,
/// <c>Commands</c>, <c>Events</c> on the QapiSchema item, through the real build targets) talks to the host.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class HostClientTests
{
    [Fact]
    public async Task AClientScopeSubsetTalksToTheHost()
    {
        string dir = Path.Combine(Path.GetTempPath(), "qapigen-hc-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        Directory.CreateDirectory(dir);
        string socket = Path.Combine(dir, "qmp.sock");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            HostOptions options = QapiGen.Host.Options.HostOptionsParser.Parse(new List<string> { "-qmp", $"unix:{socket},server=on,wait=off", "-S" });
            await using (QmpHost host = await QmpHost.StartAsync(options))
            {
                await using QapiClient client = await QapiClient.ConnectAsync("unix:" + socket, null, cts.Token);
                VersionInfo version = await client.QueryVersionAsync(cancellationToken: cts.Token);
                Assert.True(version.Qemu.Major > 0);
                Assert.Equal(RunState.Prelaunch, (await client.QueryStatusAsync(cancellationToken: cts.Token)).Status);

                using (SafeFileHandle fd = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read))
                {
                    AddfdInfo added = await client.AddFdAsync(fdsetId: 5, opaque: "scope", fds: new SafeFileHandle[] { fd }, cancellationToken: cts.Token);
                    Assert.Equal(5, added.FdsetId);
                }
                FdsetInfo set = Assert.Single(await client.QueryFdsetsAsync(cancellationToken: cts.Token));
                Assert.Equal("scope", Assert.Single(set.Fds).Opaque);

                // Events of the subset arrive typed.
                await using IAsyncEnumerator<QapiEvent> events = client.ReadTypedEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
                await client.ContAsync(cancellationToken: cts.Token);
                Assert.True(await events.MoveNextAsync());
                Assert.IsType<ResumeEvent>(events.Current);
                Assert.True((await client.QueryStatusAsync(cancellationToken: cts.Token)).Running);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("Lists the generated types by reflection.")]
    public void OnlyTheClientSideOfTheSubsetIsGenerated()
    {
        var types = typeof(QapiClient).Assembly.GetTypes().Where(t => t.Namespace == "QapiGen.Generated.Tests.HostClient").Select(t => t.Name).ToHashSet();
        // Client side: the client, the events' classes; no server side: no dispatcher, no handler interface, no introspection.
        Assert.Contains("QapiClient", types);
        Assert.Contains("StopEvent", types);
        Assert.DoesNotContain("QapiDispatcher", types);
        Assert.DoesNotContain("IQapiCommands", types);
        Assert.DoesNotContain("QapiIntrospection", types);
        // Only the subset's commands and the types they reach.
        var methods = typeof(QapiClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => m.Name).ToHashSet();
        Assert.Contains("QueryFdsetsAsync", methods);
        Assert.DoesNotContain("ChardevAddAsync", methods);
        Assert.DoesNotContain("MonitorAddAsync", methods);
        Assert.Contains("FdsetInfo", types);
        Assert.DoesNotContain("ChardevBackend", types);
        Assert.DoesNotContain("MigrationInfo", types);
        Assert.DoesNotContain("MonitorInfo", types);
        // No strict (server-side) readers of argument types, and readers of output for what replies carry.
        var readers = typeof(QapiJson).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).ToHashSet();
        Assert.Contains("ReadOutputFdsetInfo", readers);
        Assert.DoesNotContain("ReadFdsetInfo", readers);
    }
}
