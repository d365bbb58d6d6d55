using QapiGen.Migration.Machine;

namespace QapiGen.Host.Options;

/// <summary>
/// <c>-object memory-backend-ram|memory-backend-memfd,id=ID[,size=SIZE]</c>: a RAM backend that
/// <c>-machine memory-backend=ID</c> puts behind guest RAM.
/// </summary>
/// <param name="Id">The object id.</param>
/// <param name="Backing">Anonymous memory or a memfd.</param>
/// <param name="Size">Its size, when given; otherwise <c>-m</c> decides.</param>
public sealed record MemoryBackendSpec(string Id, GuestRamBacking Backing, long? Size);
