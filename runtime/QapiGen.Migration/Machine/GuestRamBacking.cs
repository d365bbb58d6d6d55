namespace QapiGen.Migration.Machine;

/// <summary>Where guest RAM pages live.</summary>
public enum GuestRamBacking
{
    /// <summary>
    /// Private anonymous memory: untouched pages cost nothing, and the kernel can
    /// tell which pages were never written (so they are known to be zero).
    /// </summary>
    Anonymous,
    /// <summary>
    /// A memfd mapped shared: the RAM can be handed to another process by fd
    /// (vhost-user style), at the price of no cheap "never written" hint.
    /// </summary>
    Memfd,
}
