using System;
using System.Threading;

namespace QapiGen.Host.Tests.Support;

internal static class Timeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static CancellationToken Token(TimeSpan? timeout = null) => new CancellationTokenSource(timeout ?? Default).Token;
}
