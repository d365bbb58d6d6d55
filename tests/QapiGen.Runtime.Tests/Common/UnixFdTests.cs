using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using Xunit;

namespace QapiGen.Runtime.Tests.Common;

/// <summary>runtime/Common's fd helper, which answers every question through statx.</summary>
public sealed class UnixFdTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-unixfd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FileIdIsTheDeviceAndInodeStatReports()
    {
        string path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "x");
        using SafeFileHandle file = File.OpenHandle(path);
        (ulong device, ulong inode) = UnixFd.GetFileId(file);

        ProcessStartInfo info = new("stat") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("%d %i");
        info.ArgumentList.Add(path);
        using Process stat = Process.Start(info)!;
        string[] expected = stat.StandardOutput.ReadToEnd().Trim().Split(' ');
        stat.WaitForExit();

        Assert.Equal(ulong.Parse(expected[0]), device);
        Assert.Equal(ulong.Parse(expected[1]), inode);
    }

    [Fact]
    public void KindsOfFdsAndPathsAreToldApart()
    {
        string file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        string socketPath = Path.Combine(_dir, "s.sock");
        using Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, socketPath);

        Assert.True(UnixFd.IsSocket(listener.SafeHandle));
        Assert.True(UnixFd.IsSocketPath(socketPath));
        Assert.False(UnixFd.IsSocketPath(link)); // symbolic links are not followed
        Assert.Equal(FdKind.Socket, UnixFd.ClassifyPath(link));
        Assert.False(UnixFd.IsSocketPath(file));
        Assert.Equal(FdKind.Directory, UnixFd.ClassifyPath(_dir));
        Assert.Null(UnixFd.ClassifyPath(Path.Combine(_dir, "missing")));
        using SafeFileHandle handle = File.OpenHandle(file);
        Assert.Equal(FdKind.RegularFile, UnixFd.Classify(handle));
        Assert.False(UnixFd.IsSocket(handle));
    }

    [Theory]
    [InlineData(FileAccess.Read, 0)]
    [InlineData(FileAccess.Write, 1)]
    [InlineData(FileAccess.ReadWrite, 2)]
    public void AccessModeIsTheOneTheFdWasOpenedWith(FileAccess access, int accessMode)
    {
        FdAccessMode expected = (FdAccessMode)accessMode; // O_RDONLY, O_WRONLY, O_RDWR
        using SafeFileHandle handle = File.OpenHandle(Path.Combine(_dir, "m"), FileMode.OpenOrCreate, access);
        Assert.Equal(expected, UnixFd.GetAccessMode(handle));
        using SafeFileHandle copy = UnixFd.Duplicate(handle);
        Assert.NotEqual(handle.DangerousGetHandle(), copy.DangerousGetHandle());
        Assert.Equal(expected, UnixFd.GetAccessMode(copy));
        Assert.Equal(UnixFd.GetFileId(handle), UnixFd.GetFileId(copy));
    }

    [Fact]
    public void AClosedHandleIsRefusedBeforeItsNumberIsUsed()
    {
        SafeFileHandle handle = File.OpenHandle(Path.Combine(_dir, "c"), FileMode.Create, FileAccess.Write);
        handle.Dispose();
        // The number may already name another file: no call may reach the kernel with it.
        Assert.Throws<ObjectDisposedException>(() => UnixFd.GetAccessMode(handle));
        Assert.Throws<ObjectDisposedException>(() => UnixFd.Classify(handle));
        Assert.Throws<ObjectDisposedException>(() => UnixFd.GetFileId(handle));
        Assert.Throws<ObjectDisposedException>(() => UnixFd.Duplicate(handle));
    }

    [Fact]
    public void ErrnoBecomesAnIOExceptionWithQemusText()
    {
        int fd = UnixFile.TryOpen(Path.Combine(_dir, "missing", "x"), Libc.O_RDONLY, 0, out int errno);
        Assert.Equal(-1, fd);
        Assert.Equal(Libc.ENOENT, errno);
        IOException error = Errno.ToException(errno, "Could not open 'x'");
        Assert.Equal("Could not open 'x': No such file or directory", error.Message);
        Assert.Equal(Libc.ENOENT, error.HResult);
        Assert.Equal("No such file or directory", Assert.Throws<IOException>(() => UnixFile.Open(Path.Combine(_dir, "missing", "x"), Libc.O_RDONLY)).Message);
    }
}
