using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Chardevs;

/// <summary>The null backend: output vanishes, no input ever comes, so a monitor on it never gets a client.</summary>
public sealed class NullChardev : Chardev
{
    private readonly NeverListener _listener = new();

    public NullChardev(string id)
        : base(id)
    {
    }

    public override string Kind => "null";

    public override string DescribeFilename(QmpSession? connected) => "null";

    public override QmpListener GetMonitorListener() => _listener;

    public override ValueTask DisposeAsync() => _listener.DisposeAsync();
}
