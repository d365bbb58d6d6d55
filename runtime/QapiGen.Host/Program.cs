using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using QapiGen.Host.Chardevs;
using QapiGen.Host.Hosting;
using QapiGen.Host.Monitors;
using QapiGen.Host.Options;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host;

/// <summary>
/// qapigen-host: parse the QEMU-like command line, start the host, serve until quit or
/// SIGINT/SIGTERM, shut down cleanly. Exit 0 after a shutdown, 1 on a usage or start error or
/// after a failed incoming migration (with exit-on-error, the default).
/// Messages go to stderr: stdout may be a QMP channel (-qmp stdio).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        HostOptions options;
        try
        {
            options = HostOptionsParser.Parse(args);
        }
        catch (HostUsageException ex)
        {
            Console.Error.WriteLine($"{HelpText.ProgramName}: {ex.Message}");
            return 1;
        }
        if (options.ShowHelp)
        {
            Console.Out.WriteLine(HelpText.Usage);
            return 0;
        }
        if (options.ShowVersion)
        {
            Console.Out.WriteLine(HelpText.Version(HostVersion.Emulated));
            return 0;
        }

        // From here on messages go through a log that never blocks: with stderr a pipe nobody
        // reads, a session that logs must not stall on it.
        using BoundedLog log = new(Console.Error);
        QmpHost host;
        try
        {
            host = await QmpHost.StartAsync(options, line => log.Write($"{HelpText.ProgramName}: {line}"));
        }
        catch (QmpException ex)
        {
            log.Write($"{HelpText.ProgramName}: {ex.Description}");
            return 1;
        }

        await using (host)
        {
            // ctx.Cancel keeps the runtime from killing the process: the host shuts down itself,
            // so clients get SHUTDOWN and socket files are removed.
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => OnSignal(ctx, host, log));
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => OnSignal(ctx, host, log));

            foreach (HostMonitor monitor in host.Monitors.All)
            {
                string where = monitor.Chardev is SocketChardev socket ? socket.Address : monitor.Chardev.Kind;
                log.Write($"{HelpText.ProgramName}: QMP monitor '{monitor.Id}' listening on {where}");
            }
            await host.WaitForShutdownAsync();
        }
        // 1 after a failed incoming migration with exit-on-error (QEMU's exit(EXIT_FAILURE)).
        return host.ExitCode;
    }

    private static void OnSignal(PosixSignalContext context, QmpHost host, BoundedLog log)
    {
        context.Cancel = true;
        log.Write($"{HelpText.ProgramName}: terminating on signal {context.Signal}");
        host.RequestShutdown(ShutdownCause.HostSignal);
    }
}
