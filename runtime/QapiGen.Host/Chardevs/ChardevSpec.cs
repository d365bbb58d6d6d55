using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Chardevs;

/// <summary>
/// What to create, independent of where the request came from: <c>-chardev</c>, <c>-qmp</c>
/// and QMP's <c>chardev-add</c> all turn into one of these.
/// </summary>
public abstract record ChardevSpec(string Id);

/// <summary>A listening socket (unix or TCP) serving one client at a time.</summary>
public sealed record SocketChardevSpec(string Id, QmpEndpoint Endpoint) : ChardevSpec(Id);

/// <summary>Output to a file, or to <c>/dev/fdset/N</c> through the fdset machinery.</summary>
public sealed record FileChardevSpec(string Id, string Out, string? In = null, bool Append = false) : ChardevSpec(Id);

/// <summary>Discards output, never produces input.</summary>
public sealed record NullChardevSpec(string Id) : ChardevSpec(Id);

/// <summary>The process's stdin/stdout (<c>-qmp stdio</c>).</summary>
public sealed record StdioChardevSpec(string Id) : ChardevSpec(Id);
