namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The error classes QEMU puts in <c>"class"</c> (QAPI enum <c>QapiErrorClass</c>). Almost
/// everything is <see cref="GenericError"/>; the others exist for backward compatibility and
/// must be used exactly where QEMU uses them, since clients match on them.
/// </summary>
public static class QmpErrorClass
{
    /// <summary>Every error QEMU reports without a more specific class.</summary>
    public const string GenericError = "GenericError";
    /// <summary>The command does not exist (or is not available now).</summary>
    public const string CommandNotFound = "CommandNotFound";
    /// <summary>A device exists but is not active.</summary>
    public const string DeviceNotActive = "DeviceNotActive";
    /// <summary>A named device does not exist.</summary>
    public const string DeviceNotFound = "DeviceNotFound";
    /// <summary>KVM lacks a capability the command needs.</summary>
    public const string KVMMissingCap = "KVMMissingCap";
}
