using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Hosting;

/// <summary>
/// The one place the host's version is set: what the greeting, <c>query-version</c> and <c>--version</c> report.
/// </summary>
/// <remarks>
/// The number is QEMU's, not the host's own: the host implements QEMU 7.2's wire interface (commands, error texts,
/// migration stream), and QMP clients such as libvirt choose their behaviour from the version in the greeting, so
/// it must name the QEMU release whose semantics it has. The package names the software that really answers, with
/// the host's own version (its assembly's informational version), as a distribution's QEMU names its package.
/// </remarks>
public static class HostVersion
{
    /// <summary>The QEMU release whose QMP semantics the host emulates.</summary>
    public static QmpVersion Emulated { get; } = new(7, 2, 0, ("QapiGen " + QmpVersion.FromAssembly(typeof(HostVersion).Assembly).Package).TrimEnd());
}
