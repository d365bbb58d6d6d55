using System.Collections.Generic;

namespace QapiGen.Host.Tests.Support;

/// <summary>
/// Conversations whose answers come from the generated code alone (the session's negotiation, request
/// checks and strict argument readers; no handler runs to completion): the host and a server generated
/// with <c>Generate="Server"</c> both hold them against real QEMU 7.2.
/// </summary>
internal static class QemuConversations
{
    private static Step S(string send) => new(send);

    /// <summary>Before and during negotiation (run without negotiating first).</summary>
    public static IReadOnlyList<Step> Negotiation { get; } =
    [
        S("{\"execute\":\"query-status\"}"),
        S("{\"execute\":\"query-status\",\"id\":1}"),
        S("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"nope\"]}}"),
        S("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":\"oob\"}}"),
        S("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"bogus\":1}}"),
        S("{\"execute\":\"qmp_capabilities\",\"id\":\"neg\"}"),
        S("{\"execute\":\"qmp_capabilities\"}"),
        S("{\"execute\":\"query-status\",\"id\":[1,{\"a\":null}]}"),
    ];

    /// <summary>Requests that are not commands, unknown commands, and bad members of a request.</summary>
    public static IReadOnlyList<Step> MalformedRequests { get; } =
    [
        S("{\"execute\":\"no-such-command\",\"id\":2}"),
        S("{\"execute\":42}"),
        S("{\"arguments\":{}}"),
        S("{\"execute\":\"query-status\",\"arguments\":[]}"),
        S("{\"execute\":\"query-status\",\"extra\":1}"),
        S("[1,2]"),
        S("{\"execute\":\"query-status\",\"id\":3}"),
    ];

    /// <summary>Argument errors, first error in QEMU's order, including inside a union's branch and a nested struct.</summary>
    public static IReadOnlyList<Step> BadArguments { get; } =
    [
        S("{\"execute\":\"query-status\",\"arguments\":{\"x\":1}}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{}}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":\"0\"}}"),
        S("{\"execute\":\"remove-fd\",\"arguments\":{\"fdset-id\":0,\"fd\":true}}"),
        S("{\"execute\":\"add-fd\",\"arguments\":{\"opaque\":7}}"),
        S("{\"execute\":\"getfd\",\"arguments\":{}}"),
        S("{\"execute\":\"getfd\",\"arguments\":{\"fdname\":null}}"),
        S("{\"execute\":\"chardev-remove\",\"arguments\":{\"id\":\"x\",\"y\":1}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"nope\",\"data\":{}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\"}}"),
        // Errors inside a union's branch and in a nested struct, in QEMU's order (schema, not document).
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"file\",\"data\":{}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"file\",\"data\":{\"out\":1,\"append\":\"no\"}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"file\",\"data\":{\"bogus\":1,\"out\":\"/dev/null\",\"logappend\":2}}}}"),
        S("{\"execute\":\"chardev-add\",\"arguments\":{\"id\":\"x\",\"backend\":{\"type\":\"file\",\"data\":{\"out\":\"/dev/null\"},\"extra\":1}}}"),
    ];
}
