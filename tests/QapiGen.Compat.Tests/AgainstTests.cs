using System;
using System.Formats.Tar;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary><c>--against REF</c>: the old side from a git revision, a directory or a tar archive.</summary>
public sealed class AgainstTests : IDisposable
{
    private GitRepo? _repo;

    public void Dispose() => _repo?.Dispose();

    private const string Main = "{ 'include': 'block.json' }\n{ 'command': 'ping' }\n";
    private const string BlockV1 = "# block\n\n{ 'command': 'eject',\n  'data': { 'id': 'str', '*force': 'bool' } }\n";
    private const string BlockV2 = "# block\n\n{ 'command': 'eject',\n  'data': { 'id': 'str' } }\n";

    /// <summary>A repository whose schema (main file + an included module) lost a member in the last commit.</summary>
    private async Task<GitRepo> RepoAsync()
    {
        GitRepo repo = _repo = await GitRepo.CreateAsync();
        repo.Write("schema/api.json", Main, schemaQuotes: false);
        repo.Write("schema/block.json", BlockV1, schemaQuotes: false);
        await repo.CommitAsync("v1");
        await repo.GitAsync("tag", "v1.0");
        repo.Write("schema/block.json", BlockV2, schemaQuotes: false);
        await repo.CommitAsync("v2");
        return repo;
    }

    [Fact]
    public async Task AGitRevisionWithIncludesResolvedAtThatRevision()
    {
        GitRepo repo = await RepoAsync();
        (int code, string? output, string? err) = await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD~1", "schema/api.json");
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        // Found only on the old side: located in the file as it is at that revision.
        Assert.Contains("HEAD~1:schema/block.json:4:26: breaking-for-senders: member-removed: eject.force", output);
        Assert.Contains("HEAD~1:schema/api.json -> schema/api.json", output);
    }

    [Fact]
    public async Task AGitRevisionWithAnExplicitPathAndATag()
    {
        GitRepo repo = await RepoAsync();
        // The schema moved in the working tree; the old one is named by its path at the tag.
        Directory.CreateDirectory(Path.Combine(repo.Dir, "qapi"));
        File.Move(Path.Combine(repo.Dir, "schema/api.json"), Path.Combine(repo.Dir, "qapi/api.json"));
        File.Move(Path.Combine(repo.Dir, "schema/block.json"), Path.Combine(repo.Dir, "qapi/block.json"));
        (int code, string? output, string? err) = await CompatRun.RunAsync(repo.Dir, "--against", "git:v1.0:schema/api.json", "qapi/api.json");
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        Assert.Contains("v1.0:schema/block.json:4:26:", output);
    }

    [Fact]
    public async Task TheNewSchemaInASubdirectoryFindsItsPathInTheRepository()
    {
        GitRepo repo = await RepoAsync();
        (int code, string? output, string _) = await CompatRun.RunAsync(Path.Combine(repo.Dir, "schema"), "--against", "git:main~1", "api.json");
        Assert.Equal(1, code);
        Assert.Contains("main~1:schema/block.json:4:26:", output);
    }

    [Fact]
    public async Task TheWorkingTreeAndIndexAreUntouched()
    {
        GitRepo repo = await RepoAsync();
        // An uncommitted edit (the break undone) and a staged one: both must stay as they are.
        repo.Write("schema/block.json", BlockV1, schemaQuotes: false);
        repo.Write("schema/extra.json", "{ 'command': 'extra' }\n", schemaQuotes: false);
        await repo.GitAsync("add", "schema/extra.json");
        string before = await repo.GitAsync("status", "--porcelain");
        (int code, string? output, string _) = await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD", "schema/api.json");
        // HEAD lacks 'force', the working tree has it again: nothing breaks.
        Assert.Equal(0, code);
        Assert.Contains("0 breaking for senders", output);
        Assert.Equal(before, await repo.GitAsync("status", "--porcelain"));
        Assert.Equal(BlockV1, File.ReadAllText(Path.Combine(repo.Dir, "schema/block.json")));
    }

    [Fact]
    public async Task ABadRevisionOrAMissingPathIsAnInputError()
    {
        GitRepo repo = await RepoAsync();
        (int code, string _, string? err) = await CompatRun.RunAsync(repo.Dir, "--against", "git:no-such-branch", "schema/api.json");
        Assert.Equal(2, code);
        Assert.Contains("no-such-branch", err);
        (code, _, err) = await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD~1:schema/nope.json", "schema/api.json");
        Assert.Equal(2, code);
        Assert.Contains("can't read schema file 'HEAD~1:schema/nope.json': No such file or directory", err);
        (code, _, err) = await CompatRun.RunAsync(repo.Dir, "--against", "git:HEAD~1:schema", "schema/api.json");
        Assert.Equal(2, code);
        Assert.Contains("Is a directory", err);
    }

    [Fact]
    public async Task OutsideARepositoryIsAnInputError()
    {
        using var t = new TempSchemas();
        string file = t.WriteRaw("api.json", Main);
        (int code, string _, string? err) = await CompatRun.RunAsync(Path.GetDirectoryName(file)!, "--against", "git:HEAD", "api.json");
        Assert.Equal(2, code);
        Assert.Contains("git", err);
    }

    [Fact]
    public async Task ADirectory()
    {
        GitRepo repo = await RepoAsync();
        repo.Write("old/schema/api.json", Main, schemaQuotes: false);
        repo.Write("old/schema/block.json", BlockV1, schemaQuotes: false);
        (int code, string? output, string _) = await CompatRun.RunAsync(repo.Dir, "--against", "old", "schema/api.json");
        Assert.Equal(1, code);
        Assert.Contains("old/schema/block.json:4:26: breaking-for-senders: member-removed: eject.force", output);
        (code, output, _) = await CompatRun.RunAsync(repo.Dir, "--against", "old/schema:api.json", "schema/api.json");
        Assert.Equal(1, code);
        Assert.Contains("old/schema/block.json:4:26:", output);
    }

    [Fact]
    public async Task ATarArchivePlainOrGzipped()
    {
        GitRepo repo = await RepoAsync();
        repo.Write("tree/qemu-1.0/qapi/api.json", Main, schemaQuotes: false);
        repo.Write("tree/qemu-1.0/qapi/block.json", BlockV1, schemaQuotes: false);
        string tar = Path.Combine(repo.Dir, "qemu-1.0.tar");
        await TarFile.CreateFromDirectoryAsync(Path.Combine(repo.Dir, "tree"), tar, includeBaseDirectory: false);
        (int code, string? output, string? err) = await CompatRun.RunAsync(repo.Dir, "--against", "qemu-1.0.tar:qemu-1.0/qapi/api.json", "schema/api.json");
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        Assert.Contains("qemu-1.0.tar:qemu-1.0/qapi/block.json:4:26: breaking-for-senders: member-removed: eject.force", output);

        string tgz = Path.Combine(repo.Dir, "qemu-1.0.tar.gz");
        await using (FileStream input = File.OpenRead(tar))
        await using (FileStream output2 = File.Create(tgz))
        await using (var gz = new System.IO.Compression.GZipStream(output2, System.IO.Compression.CompressionLevel.Fastest))
        {
            await input.CopyToAsync(gz);
        }

        (code, output, _) = await CompatRun.RunAsync(repo.Dir, "--against", "qemu-1.0.tar.gz:qemu-1.0/qapi/api.json", "schema/api.json");
        Assert.Equal(1, code);
        Assert.Contains("qemu-1.0.tar.gz:qemu-1.0/qapi/block.json:4:26:", output);
    }

    [Fact]
    public async Task AReferenceThatIsNothingIsAnInputError()
    {
        GitRepo repo = await RepoAsync();
        (int code, string _, string? err) = await CompatRun.RunAsync(repo.Dir, "--against", "no-such-dir", "schema/api.json");
        Assert.Equal(2, code);
        Assert.Contains("no such directory or archive", err);
        File.WriteAllText(Path.Combine(repo.Dir, "not.tar"), "hello");
        (code, _, err) = await CompatRun.RunAsync(repo.Dir, "--against", "not.tar", "schema/api.json");
        Assert.Equal(2, code);
        Assert.Contains("not.tar", err);
    }
}
