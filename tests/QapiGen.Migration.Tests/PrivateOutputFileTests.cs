using System.IO;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using Xunit;

namespace QapiGen.Migration.Tests;

public class PrivateOutputFileTests
{
    [Fact]
    public void ANewFileIsCreatedOwnerOnly()
    {
        string path = TestMachines.TempPath("new-output");
        using (SafeFileHandle handle = PrivateOutputFile.Open(path))
        {
            Assert.Equal(0, RandomAccess.GetLength(handle));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        File.Delete(path);
    }

    [Fact]
    public void AnExistingFileIsEmptiedAndKeepsItsMode()
    {
        string path = TestMachines.TempPath("old-output");
        File.WriteAllBytes(path, new byte[3 << 20]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        using (SafeFileHandle handle = PrivateOutputFile.Open(path))
        {
            // A stale tail after a shorter stream would be read as garbage by the destination.
            Assert.Equal(0, RandomAccess.GetLength(handle));
            RandomAccess.Write(handle, new byte[] { 1, 2, 3 }, 0);
        }

        Assert.Equal(3, new FileInfo(path).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        File.Delete(path);
    }

    [Fact]
    public void ADirectoryIsRefusedWithAnIOError()
    {
        string path = TestMachines.TempPath("dir-output");
        Directory.CreateDirectory(path);
        System.Exception error = Record.Exception(() => PrivateOutputFile.Open(path).Dispose());
        Assert.True(error is IOException or System.UnauthorizedAccessException, error?.ToString());
        Directory.Delete(path);
    }
}
