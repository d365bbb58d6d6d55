using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using QapiGen.Common;

namespace QapiGen.Host.Bench;

/// <summary>
/// The one client every server is measured with: blocking calls on the benchmark's own thread
/// (the cheapest client there is, so the server dominates), replies counted by their line ends.
/// </summary>
internal sealed class BenchClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _pendingNewlines;

    private BenchClient(Socket socket)
    {
        _socket = socket;
    }

    public static BenchClient Connect(string path)
    {
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        BenchClient client = new(socket);
        client.ReadReplies(1); // greeting
        client._socket.Send("{\"execute\":\"qmp_capabilities\"}\n"u8);
        client.ReadReplies(1);
        return client;
    }

    /// <summary>The request line of a command without arguments.</summary>
    public static string Plain(string command) => $"{{\"execute\":\"{command}\"}}";

    /// <summary>One request, wait for its reply, repeat: round trips per second.</summary>
    public double Sequential(string request, TimeSpan duration) => Sequential(Encoding.ASCII.GetBytes(request + "\n"), duration);

    private double Sequential(byte[] request, TimeSpan duration)
    {
        long done = 0;
        Stopwatch clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 64; i++)
            {
                _socket.Send(request);
                ReadReplies(1);
            }
            done += 64;
        }
        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Keeps <paramref name="inFlight"/> requests outstanding, topping up as replies come: replies per second.</summary>
    public double Pipelined(string request, int inFlight, TimeSpan duration)
    {
        byte[] one = Encoding.ASCII.GetBytes(request + "\n");
        byte[] many = new byte[one.Length * inFlight];
        for (int i = 0; i < inFlight; i++)
        {
            one.CopyTo(many, i * one.Length);
        }
        _socket.Send(many);
        long done = 0;
        int outstanding = inFlight;
        Stopwatch clock = Stopwatch.StartNew();
        bool sending = true;
        while (outstanding > 0)
        {
            int got = ReadSomeReplies();
            done += got;
            outstanding -= got;
            if (sending && clock.Elapsed >= duration)
            {
                sending = false;
            }
            if (sending && got > 0)
            {
                _socket.Send(many.AsSpan(0, one.Length * got));
                outstanding += got;
            }
        }
        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// add-fd with a fresh fd passed each time, sequentially; every 256 adds one remove-fd
    /// empties that set so neither server piles up fds. Returns add-fd round trips per second.
    /// </summary>
    public double AddFd(TimeSpan duration)
    {
        using SafeFileHandle devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
        int fd = (int)devNull.DangerousGetHandle();
        int socket = (int)_socket.Handle;
        long done = 0;
        long set = 100;
        Stopwatch clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            byte[] add = Encoding.ASCII.GetBytes($"{{\"execute\":\"add-fd\",\"arguments\":{{\"fdset-id\":{set}}}}}\n");
            for (int i = 0; i < 256; i++)
            {
                int sent = ScmRights.Send(socket, add, [fd]);
                if (sent < 0)
                {
                    throw new InvalidOperationException($"sendmsg failed: {Marshal.GetPInvokeErrorMessage(-sent)}");
                }
                if (sent < add.Length)
                {
                    _socket.Send(add.AsSpan(sent));
                }
                ReadReplies(1);
            }
            done += 256;
            _socket.Send(Encoding.ASCII.GetBytes($"{{\"execute\":\"remove-fd\",\"arguments\":{{\"fdset-id\":{set}}}}}\n"));
            ReadReplies(1);
            set++;
        }
        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// add-fd with a fresh fd passed each time, <paramref name="inFlight"/> outstanding (one
    /// sendmsg per request, as the fd must travel with its message); a remove-fd after every
    /// 256 adds keeps the fdsets small. Returns add-fd replies per second (remove-fd not counted).
    /// </summary>
    public double AddFdPipelined(int inFlight, TimeSpan duration)
    {
        using SafeFileHandle devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
        int fd = (int)devNull.DangerousGetHandle();
        long set = 100, done = 0, sentAdds = 0, removes = 0;
        int outstanding = 0;
        byte[] add = AddFdRequest(set);
        Stopwatch clock = Stopwatch.StartNew();
        bool sending = true;
        void SendOne()
        {
            SendWithFd(add, fd);
            outstanding++;
            if (++sentAdds % 256 == 0)
            {
                _socket.Send(Encoding.ASCII.GetBytes($"{{\"execute\":\"remove-fd\",\"arguments\":{{\"fdset-id\":{set}}}}}\n"));
                outstanding++;
                removes++;
                add = AddFdRequest(++set);
            }
        }
        for (int i = 0; i < inFlight; i++)
        {
            SendOne();
        }
        while (outstanding > 0)
        {
            int got = ReadSomeReplies();
            done += got;
            outstanding -= got;
            if (sending && clock.Elapsed >= duration)
            {
                sending = false;
            }
            for (int i = 0; sending && i < got; i++)
            {
                SendOne();
            }
        }
        return (done - removes) / clock.Elapsed.TotalSeconds;
    }

    private static byte[] AddFdRequest(long set) => Encoding.ASCII.GetBytes($"{{\"execute\":\"add-fd\",\"arguments\":{{\"fdset-id\":{set}}}}}\n");

    private void SendWithFd(byte[] message, int fd)
    {
        int sent = ScmRights.Send((int)_socket.Handle, message, [fd]);
        if (sent < 0)
        {
            throw new InvalidOperationException($"sendmsg failed: {Marshal.GetPInvokeErrorMessage(-sent)}");
        }
        if (sent < message.Length)
        {
            _socket.Send(message.AsSpan(sent));
        }
    }

    private void ReadReplies(int count)
    {
        while (_pendingNewlines < count)
        {
            _pendingNewlines += ReadChunk();
        }
        _pendingNewlines -= count;
    }

    private int ReadSomeReplies()
    {
        if (_pendingNewlines == 0)
        {
            _pendingNewlines = ReadChunk();
        }
        int got = _pendingNewlines;
        _pendingNewlines = 0;
        return got;
    }

    private int ReadChunk()
    {
        int n = _socket.Receive(_buffer);
        if (n == 0)
        {
            throw new IOException("the server closed the connection");
        }
        return _buffer.AsSpan(0, n).Count((byte)'\n');
    }

    public void Dispose() => _socket.Dispose();
}
