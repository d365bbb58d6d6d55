using System.Collections.Generic;

namespace QapiGen.Migration.Transports;

/// <summary>
/// A parsed migration address, before anything is opened: the legacy URI forms
/// and the channels API's <c>MigrationAddress</c> meet here. Fds are only named;
/// the host looks them up (<c>getfd</c> names, <c>/dev/fdset/N</c>) and hands
/// the handle to <see cref="FdTransport.Resolve"/> or <see cref="FileTransport.FromHandle"/>.
/// </summary>
public abstract record MigrationAddress
{
    private protected MigrationAddress()
    {
    }
}

/// <summary><c>tcp:HOST:PORT</c> (socket type <c>inet</c>).</summary>
public sealed record InetMigrationAddress(string Host, int Port) : MigrationAddress;

/// <summary><c>unix:PATH</c> (socket type <c>unix</c>).</summary>
public sealed record UnixMigrationAddress(string Path) : MigrationAddress;

/// <summary><c>fd:NAME</c> (socket type <c>fd</c>): resolved by what the fd turns out to be: a plain file is migrated as a file, a socket as a socket.</summary>
public sealed record FdMigrationAddress(string Name) : MigrationAddress;

/// <summary><c>file:PATH[,offset=N]</c> (transport <c>file</c>); PATH may be <c>/dev/fdset/N</c>.</summary>
public sealed record FileMigrationAddress(string Filename, long Offset) : MigrationAddress;

/// <summary><c>exec:CMD</c> (transport <c>exec</c> with args <c>/bin/sh -c CMD</c>).</summary>
public sealed record ExecMigrationAddress(IReadOnlyList<string> Args) : MigrationAddress;
