using System.Threading;

namespace QapiGen.Migration.Wire;

/// <summary>
/// Live counters, updated by migration threads with interlocked operations and
/// read at any time by <c>query-migrate</c>.
/// </summary>
internal sealed class MigrationCounters
{
    private long _transferred;
    private long _normalPages;
    private long _duplicatePages;
    private long _remainingPages;
    private long _dirtySyncCount;
    private long _pass;

    public long Transferred => Interlocked.Read(ref _transferred);

    public long NormalPages => Interlocked.Read(ref _normalPages);

    public long DuplicatePages => Interlocked.Read(ref _duplicatePages);

    public long RemainingPages => Interlocked.Read(ref _remainingPages);

    public long DirtySyncCount => Interlocked.Read(ref _dirtySyncCount);

    public long Pass => Interlocked.Read(ref _pass);

    public void AddTransferred(long bytes) => Interlocked.Add(ref _transferred, bytes);

    public void AddPages(long normal, long duplicate, long processed)
    {
        Interlocked.Add(ref _normalPages, normal);
        Interlocked.Add(ref _duplicatePages, duplicate);
        Interlocked.Add(ref _remainingPages, -processed);
    }

    public void SetRemainingPages(long pages) => Interlocked.Exchange(ref _remainingPages, pages);

    public void AddRemainingPages(long pages) => Interlocked.Add(ref _remainingPages, pages);

    public long NextPass()
    {
        Interlocked.Increment(ref _dirtySyncCount);
        return Interlocked.Increment(ref _pass);
    }
}
