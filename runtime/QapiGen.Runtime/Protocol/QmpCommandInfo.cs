namespace QapiGen.Runtime.Protocol;

/// <summary>
/// What the session needs to know about a command before running it; generated from the
/// schema's command flags.
/// </summary>
/// <param name="Name">The wire name, e.g. <c>query-version</c>.</param>
/// <param name="AllowOob">'allow-oob': may be run with <c>exec-oob</c>.</param>
/// <param name="AllowPreconfig">'allow-preconfig': the host's command gate may use it.</param>
/// <param name="SuccessResponse">'success-response': false for commands that send no reply on success.</param>
public readonly record struct QmpCommandInfo(string Name, bool AllowOob = false, bool AllowPreconfig = false, bool SuccessResponse = true);
