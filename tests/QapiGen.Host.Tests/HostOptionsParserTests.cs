using System.Linq;
using QapiGen.Host.Chardevs;
using QapiGen.Host.Options;
using QapiGen.Runtime.Transports;
using Xunit;

namespace QapiGen.Host.Tests;

public sealed class HostOptionsParserTests
{
    [Fact]
    public void NoArgumentsServeTheDefaultSocket()
    {
        HostOptions options = HostOptionsParser.Parse([]);
        Assert.True(options.UsesDefaultMonitor);
        SocketChardevSpec chardev = Assert.IsType<SocketChardevSpec>(Assert.Single(options.Chardevs));
        Assert.Equal("./qmp.sock", chardev.Endpoint.Path);
        Assert.Equal("compat_monitor0", Assert.Single(options.Monitors).Chardev);
    }

    [Fact]
    public void QemuStyleOptionsWithOneOrTwoDashes()
    {
        HostOptions options = HostOptionsParser.Parse([
            "--qmp", "unix:/tmp/a.sock,server=on,wait=off", "-qmp=tcp:127.0.0.1:0", "-qmp", "stdio",
            "-chardev", "socket,id=s,path=/tmp/s.sock,server=on,wait=off",
            "-chardev", "socket,id=t,host=127.0.0.1,port=4444,server,nowait=on",
            "-chardev", "file,id=f,path=/dev/fdset/3", "-chardev", "null,id=n",
            "-mon", "chardev=s,mode=control,id=side,pretty=on", "-S",
        ]);
        Assert.True(options.StartPaused);
        Assert.False(options.UsesDefaultMonitor);
        Assert.Equal(["compat_monitor0", "compat_monitor1", "compat_monitor2", "s", "t", "f", "n"], options.Chardevs.Select(c => c.Id));
        Assert.Equal(QmpEndpointKind.Tcp, Assert.IsType<SocketChardevSpec>(options.Chardevs[1]).Endpoint.Kind);
        Assert.IsType<StdioChardevSpec>(options.Chardevs[2]);
        Assert.Equal(4444, Assert.IsType<SocketChardevSpec>(options.Chardevs[4]).Endpoint.Port);
        Assert.Equal("/dev/fdset/3", Assert.IsType<FileChardevSpec>(options.Chardevs[5]).Out);
        MonitorSpec side = options.Monitors.Last();
        Assert.Equal(("side", "s", true), (side.Id, side.Chardev, side.Pretty));
    }

    [Theory]
    [InlineData("-chardev socket,id=a,path=/x,server=on,foo=1", "-chardev socket,id=a,path=/x,server=on,foo=1: Invalid parameter 'foo'")]
    [InlineData("-chardev socket,path=/x,server=on", "-chardev socket,path=/x,server=on: chardev: no id specified")]
    [InlineData("-chardev pty,id=p", "-chardev pty,id=p: 'pty' is not a valid char driver name (supported: socket, file, null, stdio)")]
    [InlineData("-chardev socket,id=a,path=/x", "-chardev socket,id=a,path=/x: only server=on sockets are supported (the host only listens)")]
    [InlineData("-mon chardev=x,mode=control", "-mon chardev=x: chardev 'x' not found")]
    [InlineData("-chardev null,id=n -mon chardev=n,mode=readline", "-mon chardev=n,mode=readline: mode=readline (HMP) is not supported; use mode=control")]
    [InlineData("-qmp", "-qmp: requires an argument")]
    [InlineData("-qmp unix:/x,server=off", "-qmp unix:/x,server=off: server=off (connecting out) is not supported; the host only listens")]
    [InlineData("-qmp foo:bar", "-qmp 'foo:bar': expected unix:PATH, tcp:HOST:PORT or stdio")]
    [InlineData("--frobnicate", "--frobnicate: invalid option (see --help)")]
    [InlineData("extra", "extra: unexpected argument (options start with '-'; see --help)")]
    [InlineData("-chardev null,id=n -chardev null,id=n", "-chardev: duplicate chardev id 'n'")]
    [InlineData("--max-held-fds 0", "--max-held-fds 0: expected a positive number of fds")]
    [InlineData("--max-held-fds lots", "--max-held-fds lots: expected a positive number of fds")]
    public void BadOptionsAreExplained(string args, string message)
    {
        HostUsageException ex = Assert.Throws<HostUsageException>(() => HostOptionsParser.Parse(args.Split(' ')));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void HelpAndVersionNeedNoMonitor()
    {
        Assert.True(HostOptionsParser.Parse(["--help"]).ShowHelp);
        Assert.True(HostOptionsParser.Parse(["-h"]).ShowHelp);
        Assert.True(HostOptionsParser.Parse(["--version"]).ShowVersion);
        Assert.Empty(HostOptionsParser.Parse(["--version"]).Monitors);
    }
}
