using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Client;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Tests.Support;
using QapiGen.Runtime.Transports;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests;

/// <summary>Files through the real qemu-ga (running on this machine, so its files are ours to check).</summary>
[Collection(FdCountingCollection.Name)]
public class FileTransferTests
{
    private static readonly QgaClientOptions Generous = new() { Timeout = TimeSpan.FromSeconds(120) };

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [QemuGaFact]
    public async Task SixteenMiBFileWrittenThenReadBack()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        string path = Path.Combine(Path.GetDirectoryName(agent.SocketPath)!, "sixteen.bin");
        byte[] data = RandomBytes(16 * 1024 * 1024, 16);
        await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, Generous);

        long written = await client.CopyToGuestAsync(new MemoryStream(data), path);
        Assert.Equal(data.Length, written);
        // What the agent wrote, as the file system has it.
        byte[] onDisk = await File.ReadAllBytesAsync(path);
        Assert.True(data.AsSpan().SequenceEqual(onDisk));

        MemoryStream back = new();
        long read = await client.CopyFromGuestAsync(path, back);
        Assert.Equal(data.Length, read);
        Assert.True(data.AsSpan().SequenceEqual(back.ToArray()));
    }

    [QemuGaFact]
    public async Task StreamReadsInSmallPiecesSeeksAndAppends()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        string path = Path.Combine(Path.GetDirectoryName(agent.SocketPath)!, "pieces.bin");
        byte[] data = RandomBytes(300_001, 3);
        await File.WriteAllBytesAsync(path, data);
        await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, Generous);

        // Chunks of 64 KiB served through buffers that do not divide them (the read-ahead path).
        await using (QgaFileStream file = await client.OpenFileAsync(path, "r", chunkSize: 65536))
        {
            Assert.True(file.CanRead);
            Assert.False(file.CanWrite);
            MemoryStream back = new();
            byte[] buffer = new byte[7777];
            int n;
            while ((n = await file.ReadAsync(buffer)) > 0)
            {
                back.Write(buffer, 0, n);
            }

            Assert.True(data.AsSpan().SequenceEqual(back.ToArray()));

            Assert.Equal(100_000, await file.SeekAsync(100_000, SeekOrigin.Begin));
            byte[] some = new byte[10];
            Assert.Equal(10, await file.ReadAsync(some));
            Assert.True(data.AsSpan(100_000, 10).SequenceEqual(some));
            Assert.Equal(data.Length - 5, await file.SeekAsync(-5, SeekOrigin.End));
            Assert.Equal(5, await file.ReadAtLeastAsync(some, 5, throwOnEndOfStream: false));
            Assert.True(data.AsSpan(data.Length - 5).SequenceEqual(some.AsSpan(0, 5)));
            Assert.Throws<NotSupportedException>(() => file.Read(buffer, 0, 1));
            await Assert.ThrowsAsync<NotSupportedException>(async () => await file.WriteAsync(buffer));
        }

        await using (QgaFileStream file = await client.OpenFileAsync(path, "a"))
        {
            await file.WriteAsync(Encoding.ASCII.GetBytes("tail"));
            await file.FlushAsync();
        }
        byte[] now = await File.ReadAllBytesAsync(path);
        Assert.Equal(data.Length + 4, now.Length);
        Assert.Equal("tail", Encoding.ASCII.GetString(now, data.Length, 4));

        // An agent error is typed, and leaves the client usable.
        QmpException missing = await Assert.ThrowsAsync<QmpException>(() => client.OpenFileAsync(path + ".absent"));
        Assert.Contains("No such file", missing.Message);
        Assert.Equal(JsonKindObject, (await client.ExecuteAsync("guest-ping")).ValueKind);
    }

    private const System.Text.Json.JsonValueKind JsonKindObject = System.Text.Json.JsonValueKind.Object;

    [QemuGaFact]
    public async Task TransferAfterInjectedStaleReplies()
    {
        await using QemuGa agent = await QemuGa.StartAsync();
        string directory = Path.GetDirectoryName(agent.SocketPath)!;
        string decoy = Path.Combine(directory, "decoy.bin");
        string real = Path.Combine(directory, "real.bin");
        await File.WriteAllBytesAsync(decoy, RandomBytes(50_000, 1));
        byte[] data = RandomBytes(200_000, 2);
        await File.WriteAllBytesAsync(real, data);

        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(agent.SocketPath));
        // An earlier client's leftovers: the decoy opened (its handle reply unread), reads of it with
        // the ids a fresh client uses, a sync reply with a plausible id, and half a request.
        string stale = """{"execute":"guest-file-open","arguments":{"path":"DECOY"},"id":1}""".Replace("DECOY", decoy)
            + """{"execute":"guest-sync-delimited","arguments":{"id":2}}"""
            + """{"execute":"guest-file-read","arguments":{"handle":1000,"count":4096},"id":2}"""
            + """{"execute":"guest-file-read","arguments":{"handle":1000,"count":4096},"id":3}"""
            + """{"execute":"guest-info","id":4}{"execute":"guest-file-read","argu""";
        await socket.SendAsync(Encoding.UTF8.GetBytes(stale));
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (socket.Available == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.True(socket.Available > 0);

        await using QgaClient client = await QgaClient.CreateAsync(new UnixSocketTransport(socket), Generous);
        MemoryStream back = new();
        Assert.Equal(data.Length, await client.CopyFromGuestAsync(real, back, chunkSize: 4096));
        Assert.True(data.AsSpan().SequenceEqual(back.ToArray()));
    }
}
