namespace QapiGen.Runtime.Protocol;

/// <summary>Names of QMP capabilities (QAPI enum QMPCapability).</summary>
public static class QmpCapabilities
{
    /// <summary>Out-of-band execution (<c>exec-oob</c>).</summary>
    public const string Oob = "oob";
}
