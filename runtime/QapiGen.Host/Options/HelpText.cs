namespace QapiGen.Host.Options;

/// <summary>The text of --help and --version.</summary>
public static class HelpText
{
    public const string ProgramName = "qapigen-host";

    public static string Usage => $$"""
        usage: {{ProgramName}} [options]

        A QMP server built from the QapiGen host schema (schema/), speaking QEMU's wire protocol.
        With no monitor option it serves {{HostOptions.DefaultQmpPath}} (a unix socket, mode 0600).

        Monitors and chardevs:
          -qmp unix:PATH[,server=on][,wait=off]   QMP monitor on a unix socket (fd passing)
          -qmp tcp:HOST:PORT[,server=on]          QMP monitor on a TCP socket (PORT 0: any free port)
          -qmp stdio                              QMP monitor on stdin/stdout
          -qmp-pretty ENDPOINT                    same as -qmp, with indented JSON output
          -chardev socket,id=ID,path=PATH,server=on[,wait=off]
          -chardev socket,id=ID,host=HOST,port=PORT,server=on[,wait=off]
          -chardev file,id=ID,path=PATH[,append=on]   (PATH may be /dev/fdset/N)
          -chardev null,id=ID
          -mon chardev=ID,mode=control[,id=NAME][,pretty=on]
                                                  QMP monitor on chardev ID
        Machine:
          -S                                      start stopped (prelaunch); 'cont' starts. With
                                                  -incoming: stay paused after the migration
          -m SIZE                                 guest RAM (default 128M; K/M/G/T, bare number = MiB)
          -object memory-backend-ram,id=ID[,size=SIZE]
          -object memory-backend-memfd,id=ID[,size=SIZE][,share=on]
          -machine memory-backend=ID              put guest RAM on backend ID (memfd: shareable)
        Migration:
          -incoming tcp:[HOST]:PORT | unix:PATH | fd:N | file:PATH[,offset=N] | exec:CMD
                                                  start inmigrate and receive from there
          -incoming defer                         start inmigrate; wait for migrate-incoming
          --ram-from FILE                         fill guest RAM from FILE at start (tests, benchmarks)
          --ram-dump-on-exit FILE                 write guest RAM to FILE on exit (tests)
        Limits:
          --max-held-fds N                        fds held in fdsets and named fds together, at most
                                                  (default 1024; also bounded by RLIMIT_NOFILE)
        Other:
          --version                               print the version and exit
          -h, --help                              print this help and exit

        Options take one or two dashes. A socket serves one client at a time; later ones wait.
        The host never waits for a client at start (wait=on is accepted and ignored).
        SIGINT/SIGTERM and the 'quit' command shut it down cleanly (socket files removed).
        """;

    public static string Version(QapiGen.Runtime.Protocol.QmpVersion version) =>
        $"{ProgramName} version {version.Major}.{version.Minor}.{version.Micro} ({version.Package}): QMP wire interface modelled on QEMU {version.Major}.{version.Minor}";
}
