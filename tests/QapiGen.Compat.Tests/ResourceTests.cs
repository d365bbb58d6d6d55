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

    [Fact]
    public async Task Repeated_git_comparisons_leave_no_descriptor_open()
    {
        using var repo = await GitRepo.CreateAsync();
        repo.Write("api.json", "{ 'command': 'ping' }\n{ 'command': 'stop' }\n", schemaQuotes: false);
        await repo.CommitAsync("one");
        repo.Write("api.json", "{ 'command': 'ping' }\n", schemaQuotes: false);
        // Warm up once (runtime caches, thread pool) before counting.
        Assert.Equal(1, (await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "api.json")).Code);
        var before = OpenFds();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(1, (await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "api.json")).Code);
            Assert.Equal(2, (await CompatRun.RunAsync(repo.Dir, "--against", "git:no-such-rev", "api.json")).Code);
            Assert.Equal(2, (await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD:missing.json", "api.json")).Code);
        }
        var after = OpenFds();
        // A few descriptors of the runtime may come and go (e.g. a signal pipe); 60 runs' worth may not.
        Assert.True(after - before < 10, $"file descriptors: {before} before, {after} after 60 runs");
    }
}
