using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Chardevs;

/// <summary>stdin/stdout as a chardev (<c>-qmp stdio</c>): exactly one client, the parent process.</summary>
public sealed class StdioChardev : Chardev
{
    private readonly StdioListener _listener = new();

    public StdioChardev(string id)
        : base(id)
    {
    }

    public override string Kind => "stdio";

    public override string DescribeFilename(QmpSession? connected) => "stdio";

    public override QmpListener GetMonitorListener() => _listener;

    public override ValueTask DisposeAsync() => _listener.DisposeAsync();
}
