using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>Runs alone: it counts the process's file descriptors, which other tests would move.</summary>
[CollectionDefinition(nameof(ResourceTests), DisableParallelization = true)]
public sealed class ResourceCollection
{
}

/// <summary>The git processes and pipes of <c>--against git:</c> are all closed, also when a revision is bad.</summary>
[Collection(nameof(ResourceTests))]
public sealed class ResourceTests
{
    private static int OpenFds() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>Child processes of this one that are git (running or not yet reaped).</summary>
    private static int GitChildren()
    {
        string self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int count = 0;
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ppid ...
                int close = stat.LastIndexOf(')');
                string comm = stat.Substring(stat.IndexOf('(') + 1, close - stat.IndexOf('(') - 1);
                string ppid = stat.Substring(close + 2).Split(' ')[1];
                if (ppid == self && comm == "git")
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours
            }
        }
        return count;
    }

    [Fact]
    public async Task RepeatedGitComparisonsLeaveNoDescriptorOpen()
    {
        using GitRepo repo = await GitRepo.CreateAsync();
        repo.Write("api.json", "{ 'command': 'ping' }\n{ 'command': 'stop' }\n", schemaQuotes: false);
        await repo.CommitAsync("one");
        repo.Write("api.json", "{ 'command': 'ping' }\n", schemaQuotes: false);
        // Warm up once (runtime caches, thread pool) before counting.
        Assert.Equal(1, (await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "api.json")).Code);
        int before = OpenFds();
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(1, (await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "api.json")).Code);
            Assert.Equal(2, (await CompatRun.RunAsync(repo.Dir, "--against", "git:no-such-rev", "api.json")).Code);
            Assert.Equal(2, (await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD:missing.json", "api.json")).Code);
        }
        int after = OpenFds();
        // Each run has three pipes to git: a leak would be 180 descriptors or more. Other test classes
        // of this process may still be opening and closing a few meanwhile, so only that is asserted.
        Assert.True(after - before < 60, $"file descriptors: {before} before, {after} after 60 runs");
        Assert.Equal(0, GitChildren());
    }
}
