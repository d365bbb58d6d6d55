using System;
using QapiGen.Common;

namespace QapiGen.Host.Migration;

/// <summary>
/// The file of a unix socket an incoming migration listened on, removed once the migration is
/// over (attached to its transport): a socket is removed, never a file that has taken its place.
/// </summary>
internal sealed class ListeningSocketFile : IDisposable
{
    private readonly string _path;

    public ListeningSocketFile(string path)
    {
        _path = path ?? throw new ArgumentNullException(nameof(path));
    }

    public void Dispose() => UnixSockets.RemoveStaleSocket(_path);
}
