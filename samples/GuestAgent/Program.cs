using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Samples.GuestAgent;

/// <summary><c>dotnet run --project samples/GuestAgent -- --socket PATH</c>: serves until SIGINT or SIGTERM.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || args[0] is not ("--socket" or "-p"))
        {
            Console.Error.WriteLine("usage: QapiGen.Samples.GuestAgent --socket PATH");
            Console.Error.WriteLine("Serves the guest-agent protocol on the unix socket PATH, one client at a time.");
            return 2;
        }
        using CancellationTokenSource stop = new();
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using (GuestAgentServer server = GuestAgentServer.Start(args[1]))
        {
            Console.Error.WriteLine($"guest agent {AgentCommands.Version} listening on {server.SocketPath}");
            try
            {
                await server.Completion.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
