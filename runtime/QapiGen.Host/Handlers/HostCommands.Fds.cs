using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Host.Fds;
using QapiGen.Host.Qapi;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Host.Handlers;

/// <summary>add-fd, remove-fd, query-fdsets (fdsets) and getfd, closefd (named fds).</summary>
public sealed partial class HostCommands
{
    /// <summary>add-fd takes the fd that came with this command (QEMU: qemu_chr_fe_get_msgfd()).</summary>
    public ValueTask<AddfdInfo> AddFdAsync(QmpCommandContext context, long? fdsetId, string? opaque, CancellationToken cancellationToken)
    {
        SafeFileHandle fd = context.Fds.Take();
        FdSetRegistry.AddedFd added = _host.FdSets.Add(fd, fdsetId, opaque);
        return ValueTask.FromResult(new AddfdInfo { FdsetId = added.FdSetId, Fd = added.Fd });
    }

    public ValueTask RemoveFdAsync(QmpCommandContext context, long fdsetId, long? fd, CancellationToken cancellationToken)
    {
        _host.FdSets.Remove(fdsetId, fd);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<FdsetInfo>> QueryFdsetsAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<FdSetInfo> sets = _host.FdSets.Query();
        List<FdsetInfo> result = new(sets.Count);
        foreach (FdSetInfo set in sets)
        {
            List<FdsetFdInfo> fds = new(set.Fds.Count);
            foreach (FdSetFdInfo fd in set.Fds)
            {
                fds.Add(new FdsetFdInfo { Fd = fd.Fd, Opaque = fd.Opaque });
            }
            result.Add(new FdsetInfo { FdsetId = set.FdSetId, Fds = fds });
        }
        return ValueTask.FromResult<IReadOnlyList<FdsetInfo>>(result);
    }

    /// <summary>getfd: the fd is taken first, then the name checked (QEMU's order), so a bad name never leaks it.</summary>
    public ValueTask GetfdAsync(QmpCommandContext context, string fdname, CancellationToken cancellationToken)
    {
        SafeFileHandle fd = context.Fds.Take();
        _host.NamedFds.Put(context.Session, fdname, fd);
        return ValueTask.CompletedTask;
    }

    public ValueTask ClosefdAsync(QmpCommandContext context, string fdname, CancellationToken cancellationToken)
    {
        _host.NamedFds.Close(context.Session, fdname);
        return ValueTask.CompletedTask;
    }
}
