using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using QapiGen.Host.Fds;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Chardevs;

/// <summary>
/// The file backend: output goes to <c>out</c> (created, truncated unless <c>append</c>), input
/// comes from <c>in</c> if given. A path <c>/dev/fdset/N</c> is opened through the fdset
/// registry with the access the backend needs (write for out, read for in), so the fdset keeps
/// counting the duplicate as in use until the chardev is removed.
/// </summary>
public sealed class FileChardev : Chardev
{
    private readonly SafeFileHandle _out;
    private readonly FdSetLease? _outLease;
    private readonly SafeFileHandle? _in;
    private readonly FdSetLease? _inLease;

    private FileChardev(string id, SafeFileHandle output, FdSetLease? outLease, SafeFileHandle? input, FdSetLease? inLease)
        : base(id)
    {
        _out = output;
        _outLease = outLease;
        _in = input;
        _inLease = inLease;
    }

    public override string Kind => "file";

    /// <summary>The open output (for tests and future frontends).</summary>
    public SafeFileHandle Output => _out;

    /// <summary>Opens both sides; on failure nothing stays open.</summary>
    /// <exception cref="IOException">"Could not open 'PATH': REASON", as QEMU words it.</exception>
    public static FileChardev Open(FileChardevSpec spec, FdSetRegistry fdSets)
    {
        int outFlags = Libc.O_WRONLY | Libc.O_CREAT | (spec.Append ? Libc.O_APPEND : Libc.O_TRUNC);
        (SafeFileHandle output, FdSetLease? outLease) = OpenOne(spec.Out, FileAccess.Write, outFlags, fdSets);
        if (spec.In is null)
        {
            return new FileChardev(spec.Id, output, outLease, null, null);
        }
        try
        {
            (SafeFileHandle input, FdSetLease? inLease) = OpenOne(spec.In, FileAccess.Read, Libc.O_RDONLY, fdSets);
            return new FileChardev(spec.Id, output, outLease, input, inLease);
        }
        catch
        {
            Release(output, outLease);
            throw;
        }
    }

    private static (SafeFileHandle, FdSetLease?) OpenOne(string path, FileAccess access, int flags, FdSetRegistry fdSets)
    {
        if (FdSetRegistry.IsFdSetPath(path))
        {
            // FdSetOpenException already reads "Could not open '/dev/fdset/N': REASON".
            FdSetLease lease = fdSets.Open(path, access);
            return (lease.Handle, lease);
        }
        try
        {
            return (UnixFile.Open(path, flags), null);
        }
        catch (IOException ex)
        {
            throw new IOException($"Could not open '{path}': {ex.Message}", ex.HResult);
        }
    }

    public override string DescribeFilename(QmpSession? connected) => "file";

    private static void Release(SafeFileHandle handle, FdSetLease? lease)
    {
        if (lease is not null)
        {
            lease.Dispose(); // closes the duplicate and tells the fdset it is no longer in use
        }
        else
        {
            handle.Dispose();
        }
    }

    public override ValueTask DisposeAsync()
    {
        Release(_out, _outLease);
        if (_in is not null)
        {
            Release(_in, _inLease);
        }
        return ValueTask.CompletedTask;
    }
}
