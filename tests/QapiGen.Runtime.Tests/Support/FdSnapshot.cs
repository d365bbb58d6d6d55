using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Runtime.Tests.Support;

/// <summary>
/// The process's open fds with what each refers to (socket, pipe, file, epoll), so a leak check says
/// which fds are new instead of only that the count moved. An assembly the runtime loads meanwhile (a
/// .dll it keeps open for the process's life, loaded on first use by whichever test gets there first) is
/// not a leak and is left out.
/// </summary>
internal sealed class FdSnapshot
{
    private readonly Dictionary<string, string> _fds;

    private FdSnapshot(Dictionary<string, string> fds) => _fds = fds;

    public int Count => _fds.Count;

    public static FdSnapshot Take()
    {
        Dictionary<string, string> fds = [];
        foreach (string path in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                fds[Path.GetFileName(path)] = new FileInfo(path).LinkTarget ?? "?";
            }
            catch (IOException)
            {
                // Closed between listing and reading (the listing's own directory fd, for one).
            }
        }
        return new FdSnapshot(fds);
    }

    /// <summary>The fds open now that were not (or referred elsewhere) in <paramref name="before"/>.</summary>
    public IEnumerable<string> NewSince(FdSnapshot before) =>
        _fds.Where(fd => !fd.Value.EndsWith(".dll", StringComparison.Ordinal))
            .Where(fd => !before._fds.TryGetValue(fd.Key, out string? target) || target != fd.Value)
            .Select(fd => $"{fd.Key} -> {fd.Value}");

    /// <summary>
    /// Asserts that no fd is open now that was not open at <paramref name="before"/>, allowing closes that
    /// finish just after the code under test returned (a peer's serving task ending) a moment to land.
    /// </summary>
    public static async Task AssertNoneNewAsync(FdSnapshot before)
    {
        List<string> added = [];
        for (int attempt = 0; attempt < 50; attempt++)
        {
            added = Take().NewSince(before).ToList();
            if (added.Count == 0)
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"fds opened and not closed: {string.Join(", ", added)}");
    }
}
