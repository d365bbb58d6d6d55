namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The error classes QEMU puts in <c>"class"</c> (QAPI enum <c>QapiErrorClass</c>). Almost
/// everything is <see cref="GenericError"/>; the others exist for backward compatibility and
/// must be used exactly where QEMU uses them, since clients match on them.
/// </summary>
public static class QmpErrorClass
{
    public const string GenericError = "GenericError";
    public const string CommandNotFound = "CommandNotFound";
    public const string DeviceNotActive = "DeviceNotActive";
    public const string DeviceNotFound = "DeviceNotFound";
    public const string KVMMissingCap = "KVMMissingCap";
}
