using System;
using System.Linq;
using System.Reflection;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;
using Xunit;

namespace QapiGen.Runtime.Tests;

/// <summary>
/// The runtime's public surface is the contract generated code and servers stand on; framing,
/// buffers, native calls and message plumbing stay internal (the full list is tracked in
/// PublicAPI.Shipped.txt by the public API analyzer).
/// </summary>
public class PublicApiTests
{
    private static readonly Type[] Exported = typeof(IQmpDispatcher).Assembly.GetExportedTypes();

    [Fact]
    public void FramingBuffersAndNativePlumbingAreNotExported()
    {
        string[] names = Exported.Select(t => t.FullName!).ToArray();
        Assert.Equal(["QapiGen.Runtime.Framing.JsonFramingOptions"], names.Where(n => n.StartsWith("QapiGen.Runtime.Framing.", StringComparison.Ordinal)));
        Assert.DoesNotContain(names, n => n.StartsWith("QapiGen.Runtime.Buffers.", StringComparison.Ordinal));
        // The libc floor (runtime/Common) is compiled into each assembly as internal source.
        Assert.DoesNotContain(names, n => n.StartsWith("QapiGen.Runtime.Native.", StringComparison.Ordinal) || n.StartsWith("QapiGen.Common.", StringComparison.Ordinal));
        Assert.DoesNotContain("QapiGen.Runtime.Protocol.QmpMessages", names);
        Assert.DoesNotContain("QapiGen.Runtime.Transports.SocketTransport", names);
    }

    [Fact]
    public void OnlyTheRuntimeDerivesTransports()
    {
        // Receiving is entangled with fd passing and the pump: no public or protected constructor.
        Assert.DoesNotContain(typeof(QmpTransport).GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic), c => c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly);
        Assert.True(typeof(QmpTransport).IsAssignableFrom(typeof(UnixSocketTransport)));
        Assert.True(typeof(QmpTransport).IsAssignableFrom(typeof(TcpSocketTransport)));
    }

    [Fact]
    public void TheSessionKnowsNeitherItsMonitorNorAHub()
    {
        PropertyInfo[] properties = typeof(QmpSession).GetProperties(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.DoesNotContain(properties, p => p.PropertyType == typeof(QmpMonitor) || p.PropertyType == typeof(QmpEventHub));
        Assert.DoesNotContain(typeof(QmpSession).GetConstructors().SelectMany(c => c.GetParameters()), p => p.ParameterType == typeof(QmpMonitor) || p.ParameterType == typeof(QmpEventHub));
    }
}
