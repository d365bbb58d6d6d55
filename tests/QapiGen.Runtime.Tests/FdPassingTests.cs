using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Runtime.Transports;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Runtime.Tests;

/// <summary>SCM_RIGHTS over real unix sockets with real files.</summary>
[Collection(FdCountingCollection.Name)]
public class FdPassingTests
{
    private static (SafeFileHandle Handle, string Path) TempFile()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, "payload");
        return (File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite), path);
    }

    [Fact]
    public async Task ServerReceivesAWorkingFdForTheSameInode()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            (ulong dev, ulong ino) = UnixFd.GetFileId(file);
            JsonElement result = await client.ExecuteAsync("take-fd", null, [file], Timeouts.Token());
            Assert.Equal(dev, result.GetProperty("dev").GetUInt64());
            Assert.Equal(ino, result.GetProperty("ino").GetUInt64());
        }
        File.Delete(path);
    }

    [Fact]
    public async Task FdSentAheadWithALoneSpaceIsClaimedByTheNextCommand()
    {
        // python's qemu.qmp send_fd_scm() sends b' ' with the fds, then the command.
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            await client.SendRawAsync(" "u8.ToArray(), [file], Timeouts.Token());
            JsonElement result = await client.ExecuteAsync("take-fd", cancellationToken: Timeouts.Token());
            Assert.Equal(UnixFd.GetFileId(file).Inode, result.GetProperty("ino").GetUInt64());
        }
        File.Delete(path);
    }

    [Fact]
    public async Task FdsBelongToTheirOwnMessageWhenPipelined()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        // The first command runs while the fd of the second is (maybe) already received:
        // it must not see it.
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            Task<JsonElement> first = client.ExecuteAsync("count-fds", cancellationToken: Timeouts.Token());
            Task<JsonElement> second = client.ExecuteAsync("take-fd", null, [file], Timeouts.Token());
            Assert.Equal(0, (await first).GetInt32());
            Assert.Equal(UnixFd.GetFileId(file).Inode, (await second).GetProperty("ino").GetUInt64());
        }
        File.Delete(path);
    }

    [Fact]
    public async Task PlainAndFdCarryingMessagesInterleavedKeepTheirFdsAndOrder()
    {
        // The unix transport peeks at plain bytes and leaves them in the socket until they are
        // answered, but reads bytes with fds for real at once: mixing the two in one burst must
        // neither lose nor duplicate a byte or an fd.
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        List<(SafeFileHandle Handle, string Path)> files = Enumerable.Range(0, 40).Select(_ => TempFile()).ToList();
        try
        {
            List<Task<JsonElement>> counts = new();
            List<Task<JsonElement>> takes = new();
            foreach ((SafeFileHandle handle, _) in files)
            {
                counts.Add(client.ExecuteAsync("count-fds", cancellationToken: Timeouts.Token()));
                counts.Add(client.ExecuteAsync("count-fds", cancellationToken: Timeouts.Token()));
                takes.Add(client.ExecuteAsync("take-fd", null, [handle], Timeouts.Token()));
            }
            for (int i = 0; i < files.Count; i++)
            {
                Assert.Equal(UnixFd.GetFileId(files[i].Handle).Inode, (await takes[i]).GetProperty("ino").GetUInt64());
            }
            foreach (Task<JsonElement> count in counts)
            {
                Assert.Equal(0, (await count).GetInt32());
            }
        }
        finally
        {
            foreach ((SafeFileHandle handle, string path) in files)
            {
                handle.Dispose();
                File.Delete(path);
            }
        }
    }

    [Fact]
    public void ThisKernelMovesThePeekOffsetSoAnsweredBytesCanBeHeld()
    {
        // The tests of held bytes (here and in RobustnessTests) exercise that path only when the
        // probe finds SO_PEEK_OFF working, as it must on any Linux this project supports.
        Assert.True(UnixSocketReceiver.PeekOffsetWorks);
    }

    [Fact]
    public async Task AMessageWithFdsAfterAnsweredOnesRunsOnceAndAloneGetsTheFd()
    {
        // The unix transport leaves answered bytes in the socket for a while, but reads bytes with
        // fds for real, from the socket's head: the answered bytes must leave first, not run again.
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            for (int id = 1; id <= 3; id++)
            {
                await c.SendAsync($"{{\"execute\":\"count-fds\",\"id\":{id}}}\n");
                Assert.Equal(0, AssertReply(id, await c.ReadLineAsync()).GetInt32());
            }
            byte[] take = Encoding.ASCII.GetBytes("{\"execute\":\"take-fd\",\"id\":4}\n");
            Assert.Equal(take.Length, ScmRights.Send((int)c.Socket.SafeHandle.DangerousGetHandle(), take, [(int)file.DangerousGetHandle()]));
            Assert.Equal(UnixFd.GetFileId(file).Inode, AssertReply(4, await c.ReadLineAsync()).GetProperty("ino").GetUInt64());
            await c.SendAsync("{\"execute\":\"count-fds\",\"id\":5}\n");
            Assert.Equal(0, AssertReply(5, await c.ReadLineAsync()).GetInt32());
        }
        File.Delete(path);

        static JsonElement AssertReply(int id, string? line)
        {
            Assert.NotNull(line);
            JsonElement reply = JsonDocument.Parse(line).RootElement;
            Assert.Equal(id, reply.GetProperty("id").GetInt32());
            return reply.GetProperty("return").Clone();
        }
    }

    /// <summary>Fds of this process open on <paramref name="path"/>: exact, whatever else the process opens meanwhile.</summary>
    private static int FdsOpenOn(string path)
    {
        int count = 0;
        foreach (string entry in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(entry).LinkTarget == path)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // closed while listing
            }
        }
        return count;
    }

    /// <summary>
    /// QEMU's rule for a command that takes an fd (qemu_chr_fe_get_msgfd): it gets the first fd of
    /// its message and the others are closed then; a later command carrying none has none.
    /// </summary>
    [Fact]
    public async Task ExtraFdsOfAMessageAreClosedWhenItsCommandTakesOne()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            Assert.Equal(1, FdsOpenOn(path));
            SafeHandle[] sixteen = Enumerable.Repeat<SafeHandle>(file, UnixSocketTransport.DefaultMaxFdsPerMessage).ToArray();
            JsonElement result = await client.ExecuteAsync("take-fd", null, sixteen, Timeouts.Token());
            Assert.Equal(UnixFd.GetFileId(file).Inode, result.GetProperty("ino").GetUInt64());
            Assert.Equal(1, FdsOpenOn(path)); // the taken one was closed by the command, the other 15 by the session
            QmpException ex = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("take-fd", cancellationToken: Timeouts.Token()));
            Assert.Equal("No file descriptor supplied via SCM_RIGHTS", ex.Description);
        }
        File.Delete(path);
    }

    /// <summary>Fds that came with a command that takes none are closed once it has run; they never serve a later command.</summary>
    [Fact]
    public async Task FdsNotTakenByTheirCommandAreClosedAfterIt()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            Assert.Equal(3, (await client.ExecuteAsync("count-fds", null, [file, file, file], Timeouts.Token())).GetInt32());
            Assert.Equal(1, FdsOpenOn(path));
            Assert.Equal(0, (await client.ExecuteAsync("count-fds", cancellationToken: Timeouts.Token())).GetInt32());
            QmpException ex = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("take-fd", cancellationToken: Timeouts.Token()));
            Assert.Equal("No file descriptor supplied via SCM_RIGHTS", ex.Description);
            Assert.Equal(1, FdsOpenOn(path));
        }
        File.Delete(path);
    }

    /// <summary>
    /// One send carrying two commands and two fds, as QEMU 7.2 sees it: the fds are the send's,
    /// the first command that takes one gets the first and the other is closed; the second finds
    /// none. Nothing stays open afterwards.
    /// </summary>
    [Fact]
    public async Task TwoCommandsInOneSendShareItsFdsAsInQemu()
    {
        await using TestServer server = TestServer.Start();
        using RawConnection c = await server.ConnectRawAsync();
        await c.NegotiateAsync();
        (SafeFileHandle a, string pathA) = TempFile();
        (SafeFileHandle b, string pathB) = TempFile();
        using (a)
        using (b)
        {
            await c.SendAsync("{\"execute\":\"count-fds\",\"id\":0}");
            Assert.Equal("{\"return\":0,\"id\":0}", await c.ReadLineAsync());
            byte[] both = Encoding.ASCII.GetBytes("{\"execute\":\"take-fd\",\"id\":1}{\"execute\":\"take-fd\",\"id\":2}\n");
            Assert.Equal(both.Length, ScmRights.Send((int)c.Socket.SafeHandle.DangerousGetHandle(), both, [(int)a.DangerousGetHandle(), (int)b.DangerousGetHandle()]));
            JsonElement first = JsonDocument.Parse((await c.ReadLineAsync())!).RootElement;
            Assert.Equal(UnixFd.GetFileId(a).Inode, first.GetProperty("return").GetProperty("ino").GetUInt64());
            Assert.Equal("{\"id\":2,\"error\":{\"class\":\"GenericError\",\"desc\":\"No file descriptor supplied via SCM_RIGHTS\"}}", await c.ReadLineAsync());
            Assert.Equal(1, FdsOpenOn(pathA));
            Assert.Equal(1, FdsOpenOn(pathB));
        }
        File.Delete(pathA);
        File.Delete(pathB);
    }

    [Fact]
    public async Task CommandWithoutFdGetsQemuError()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        QmpException ex = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("take-fd", cancellationToken: Timeouts.Token()));
        Assert.Equal(QmpErrorClass.GenericError, ex.ErrorClass);
        Assert.Equal("No file descriptor supplied via SCM_RIGHTS", ex.Description);
    }

    [Fact]
    public async Task TooManyFdsInOneMessageIsRefusedAndNothingLeaks()
    {
        await using TestServer server = TestServer.Start();
        await using QmpClient client = await server.ConnectClientAsync();
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            SafeHandle[] many = Enumerable.Repeat<SafeHandle>(file, UnixSocketTransport.DefaultMaxFdsPerMessage + 1).ToArray();
            QmpException ex = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("take-fd", null, many, Timeouts.Token()));
            Assert.Equal("Too many file descriptors passed with one message (at most 16)", ex.Description);
            Assert.Equal(0, (await client.ExecuteAsync("count-fds", cancellationToken: Timeouts.Token())).GetInt32());
        }
        File.Delete(path);
    }

    /// <summary>
    /// Both ways a unix transport takes bytes out of its socket: held and taken out in batches
    /// (SO_PEEK_OFF), or once handed on (a kernel without it). Either way every byte reaches the
    /// reader once, in order, the fd stays with its message, and the socket ends empty: held
    /// bytes leave within the quiet-time timeout.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryByteArrivesOnceAndTheSocketEndsEmpty(bool holdAnsweredBytes)
    {
        string dir = Directory.CreateTempSubdirectory("qapigen-rt-").FullName;
        await using UnixSocketListener listener = new(Path.Combine(dir, "t.sock"));
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(listener.Path));
        await using QmpTransport receiver = new UnixSocketTransport(socket, UnixSocketTransport.DefaultMaxFdsPerMessage, holdAnsweredBytes);
        await using QmpTransport sender = await listener.AcceptAsync(Timeouts.Token());
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            StringBuilder seen = new();
            long offset = 0;
            List<SafeFileHandle> fds = new();
            foreach ((string line, bool withFd) in new[] { ("{\"a\":1}\n", false), ("{\"b\":2}\n", false), ("{\"c\":3}\n", true), ("{\"d\":4}\n", false) })
            {
                await sender.SendAsync(Encoding.ASCII.GetBytes(line), withFd ? [file] : null, Timeouts.Token());
                string expected = seen + line;
                while (seen.Length < expected.Length)
                {
                    ReadResult read = await receiver.Input.ReadAsync(Timeouts.Token());
                    seen.Append(Encoding.ASCII.GetString(read.Buffer));
                    offset += read.Buffer.Length;
                    receiver.Input.AdvanceTo(read.Buffer.End);
                }
                Assert.Equal(expected, seen.ToString());
                Assert.True(receiver.TakeReceivedFds(offset, fds));
                Assert.Equal(withFd ? 1 : 0, fds.Count);
                fds.ForEach(fd => fd.Dispose());
                fds.Clear();
            }
            DateTime deadline = DateTime.UtcNow + Timeouts.Default;
            while (socket.Available > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }
            Assert.Equal(0, socket.Available);
        }
        File.Delete(path);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task TransportPassesFdsInBothDirections()
    {
        string dir = Directory.CreateTempSubdirectory("qapigen-rt-").FullName;
        await using UnixSocketListener listener = new(Path.Combine(dir, "t.sock"));
        Socket clientSocket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await clientSocket.ConnectAsync(new UnixDomainSocketEndPoint(listener.Path));
        await using QmpTransport a = new UnixSocketTransport(clientSocket);
        await using QmpTransport b = await listener.AcceptAsync(Timeouts.Token());
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            ulong inode = UnixFd.GetFileId(file).Inode;
            await a.SendAsync("{\"x\":1}\n"u8.ToArray(), [file], Timeouts.Token());
            await b.SendAsync("{\"y\":2}\n"u8.ToArray(), [file, file], Timeouts.Token());
            foreach ((QmpTransport receiver, int expected) in new[] { (b, 1), (a, 2) })
            {
                ReadResult read = await receiver.Input.ReadAsync(Timeouts.Token());
                long length = read.Buffer.Length;
                receiver.Input.AdvanceTo(read.Buffer.End);
                List<SafeFileHandle> fds = new();
                Assert.True(receiver.TakeReceivedFds(length, fds));
                Assert.Equal(expected, fds.Count);
                foreach (SafeFileHandle fd in fds)
                {
                    Assert.Equal(inode, UnixFd.GetFileId(fd).Inode);
                    Assert.Equal(FdAccessMode.ReadWrite, UnixFd.GetAccessMode(fd));
                    Assert.False(UnixFd.IsSocket(fd));
                    fd.Dispose();
                }
            }
        }
        File.Delete(path);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task NoFdLeaksAcrossManyConnections()
    {
        await using TestServer server = TestServer.Start();
        (SafeFileHandle file, string path) = TempFile();
        using (file)
        {
            await RoundAsync(server, file, 0); // warm up whatever the runtime opens lazily
            int before = FdCount.Now();
            for (int i = 0; i < 100; i++)
            {
                await RoundAsync(server, file, i);
            }
            await WaitForIdleAsync(server);
            int after = FdCount.Now();
            Assert.True(after <= before + 2, $"fds before: {before}, after: {after}");
        }
        File.Delete(path);
    }

    /// <summary>Passes fds that are claimed, fds that are never claimed, and disconnects abruptly.</summary>
    private static async Task RoundAsync(TestServer server, SafeFileHandle file, int i)
    {
        await using QmpClient client = await server.ConnectClientAsync();
        await client.ExecuteAsync("take-fd", null, [file], Timeouts.Token());
        await client.ExecuteAsync("echo", null, [file, file, file], Timeouts.Token()); // unclaimed
        if (i % 2 == 0)
        {
            await client.SendRawAsync(" "u8.ToArray(), [file], Timeouts.Token()); // parked, never used
        }
    }

    private static async Task WaitForIdleAsync(TestServer server)
    {
        DateTime deadline = DateTime.UtcNow + Timeouts.Default;
        while (server.Monitor.CurrentSession is { } session)
        {
            await session.Completion.WaitAsync(Timeouts.Default);
            Assert.True(DateTime.UtcNow < deadline);
        }
    }
}
