using System;
using System.Text;

namespace QapiGen.Runtime.Client;

/// <summary>
/// How a process started with <c>guest-exec</c> ended, and what it wrote (decoded from base64).
/// Exactly one of <see cref="ExitCode"/> and <see cref="Signal"/> is set by a Linux agent.
/// </summary>
public sealed record QgaExecResult
{
    /// <summary>The process id in the guest.</summary>
    public required long Pid { get; init; }

    /// <summary>The exit status, when the process exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended the process (Linux guests).</summary>
    public int? Signal { get; init; }

    /// <summary>What the process wrote to its standard output.</summary>
    public ReadOnlyMemory<byte> StandardOutput { get; init; }

    /// <summary>What the process wrote to its standard error.</summary>
    public ReadOnlyMemory<byte> StandardError { get; init; }

    /// <summary>The agent kept only the start of the output (qemu-ga caps what it captures at 16 MiB per stream).</summary>
    public bool OutputTruncated { get; init; }

    /// <summary>The agent kept only the start of the standard error.</summary>
    public bool ErrorTruncated { get; init; }

    /// <summary><see cref="StandardOutput"/> decoded as UTF-8.</summary>
    public string StandardOutputText => Encoding.UTF8.GetString(StandardOutput.Span);

    /// <summary><see cref="StandardError"/> decoded as UTF-8.</summary>
    public string StandardErrorText => Encoding.UTF8.GetString(StandardError.Span);
}
