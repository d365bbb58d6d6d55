using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Compat.Tests;

/// <summary>
/// The CI recipe of docs/compat.md works as written: its commands, taken from the document, run
/// with the built tool in a git repository holding two commits of a schema.
/// </summary>
public sealed class CiRecipeTests : IDisposable
{
    private GitRepo? _repo;

    public void Dispose() => _repo?.Dispose();

    private static readonly string Doc = Path.Combine(RepoPaths.Root, "docs", "compat.md");

    /// <summary>The first fenced block after the <c>&lt;!-- ci-recipe:NAME --&gt;</c> marker.</summary>
    private static List<string> Block(string name)
    {
        string[] lines = File.ReadAllLines(Doc);
        int marker = Array.IndexOf(lines, $"<!-- ci-recipe:{name} -->");
        Assert.True(marker >= 0, $"docs/compat.md has no ci-recipe:{name} marker");
        int start = Array.FindIndex(lines, marker, l => l.StartsWith("```", StringComparison.Ordinal)) + 1;
        int end = Array.FindIndex(lines, start, l => l.StartsWith("```", StringComparison.Ordinal));
        return lines.Skip(start).Take(end - start).ToList();
    }

    private static string ShellLine() => Block("shell").Single(l => l.StartsWith("qapigen compat", StringComparison.Ordinal));

    /// <summary>The <c>run:</c> of the workflow step named "qapigen compat".</summary>
    private static string WorkflowLine()
    {
        List<string> block = Block("github-actions");
        int step = block.FindIndex(l => l.Trim() == "- name: qapigen compat");
        Assert.True(step >= 0, "the workflow has no step named 'qapigen compat'");
        string run = block[step + 1].Trim();
        Assert.StartsWith("run: ", run);
        return run.Substring(5);
    }

    /// <summary>
    /// A repository as CI sees it: main at the first commit (also as origin/main, the base of the
    /// pull request), the checkout at the second.
    /// </summary>
    private async Task<GitRepo> RepoAsync(string secondBlock)
    {
        GitRepo repo = _repo = await GitRepo.CreateAsync();
        repo.Write("schema/qapi-schema.json", "# The API\n\n{ 'include': 'block.json' }\n", schemaQuotes: false);
        repo.Write("schema/block.json", "{ 'command': 'eject',\n  'data': { 'id': 'str', '*force': 'bool' } }\n", schemaQuotes: false);
        await repo.CommitAsync("first");
        await repo.GitAsync("update-ref", "refs/remotes/origin/main", "HEAD");
        await repo.GitAsync("checkout", "-q", "-b", "topic");
        repo.Write("schema/block.json", secondBlock, schemaQuotes: false);
        await repo.CommitAsync("second");
        return repo;
    }

    private const string Breaking = "{ 'command': 'eject',\n  'data': { 'id': 'str' } }\n";
    private const string Compatible = "{ 'command': 'eject',\n  'data': { 'id': 'str', '*force': 'bool', '*tray': 'bool' } }\n";

    [Fact]
    public async Task TheShellLineFailsOnABreakAndPassesACompatibleChange()
    {
        string line = ShellLine();
        GitRepo repo = await RepoAsync(Breaking);
        (int code, string? output, string? err) = await CliProcess.BashAsync(repo.Dir, line);
        Assert.True(code == 1, $"{line}: exit {code}\n{output}\n{err}");
        Assert.Contains("origin/main:schema/block.json:2:26: breaking-for-senders: member-removed: eject.force", output);

        repo.Dispose();
        repo = await RepoAsync(Compatible);
        (code, output, err) = await CliProcess.BashAsync(repo.Dir, line);
        Assert.True(code == 0, $"{line}: exit {code}\n{output}\n{err}");
    }

    [Fact]
    public async Task TheWorkflowStepAnnotatesThePullRequest()
    {
        string line = WorkflowLine();
        GitRepo repo = await RepoAsync(Breaking);
        // What the runner sets for a pull request into main.
        (int code, string? output, string? err) = await CliProcess.BashAsync(repo.Dir, "export GITHUB_BASE_REF=main\n" + line);
        Assert.True(code == 1, $"{line}: exit {code}\n{output}\n{err}");
        Assert.Contains("::error file=schema/block.json,line=1,col=1,title=qapigen compat%3A breaking-for-senders%3A member-removed::"
            + "origin/main:schema/block.json:2:26: eject.force: member 'force' removed", output);
    }
}
