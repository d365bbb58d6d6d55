using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using QapiGen.Cli;
using QapiGen.Cli.CommandLine;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests.Cli;

/// <summary>
/// The conventions every verb of <c>qapigen</c> keeps (docs/cli.md), checked against the verb table
/// itself so a new verb or option is held to them too: its help, a missing file, usage errors.
/// </summary>
public sealed class CliConventionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-conv-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    public static IEnumerable<object[]> VerbNames() => Verbs.All.Select(v => new object[] { v.Name });

    [Theory]
    [MemberData(nameof(VerbNames))]
    public async Task EveryVerbsHelpExitsZeroAndDescribesEveryOption(string name)
    {
        VerbSpec verb = Verbs.Find(name)!;
        (int code, string? stdout, string? stderr) = await QapigenProcess.Run(name, "--help");
        Assert.Equal((0, ""), (code, stderr));
        Assert.StartsWith($"usage: qapigen {name} ", stdout);
        // Each option on a line of its own: its spelling, then the first words of its description.
        string[] lines = stdout.Split('\n');
        foreach (OptionSpec option in verb.Options)
        {
            Assert.False(string.IsNullOrWhiteSpace(option.Help), $"{name} {option.Name} has no description");
            string firstWords = string.Join(' ', option.Help.Split(' ').Take(3));
            int at = Array.FindIndex(lines, l => l.TrimStart() == option.Spelling || l.TrimStart().StartsWith(option.Spelling + "  ", StringComparison.Ordinal));
            Assert.True(at >= 0, $"{name} --help does not list {option.Spelling}:\n{stdout}");
            Assert.Contains(firstWords, lines[at] + " " + (at + 1 < lines.Length ? lines[at + 1].Trim() : ""));
        }
        foreach ((string? argument, string _) in verb.Arguments)
        {
            Assert.Contains("  " + argument + " ", stdout);
        }

        Assert.Contains("exit status: 0 success; 1 ", stdout);

        // -h and 'qapigen help VERB' print the same.
        (int shortCode, string? shortOut, string _) = await QapigenProcess.Run(name, "-h");
        Assert.Equal((0, stdout), (shortCode, shortOut));
        Assert.Equal(stdout, (await QapigenProcess.Run("help", name)).Out);
    }

    /// <summary>A schema file that is not there reads and exits the same whichever verb was given it.</summary>
    [Theory]
    [InlineData("check")]
    [InlineData("dump")]
    [InlineData("generate", "-o", "OUT")]
    [InlineData("introspect")]
    [InlineData("doc", "-o", "OUT")]
    [InlineData("render", "-o", "OUT", "--template", "T")]
    [InlineData("compat", "OTHER")]
    public async Task AMissingSchemaFileReadsAndExitsTheSameInEveryVerb(string verb, params string[] more)
    {
        string missing = Path.Combine(_dir, "nope.json");
        string other = Path.Combine(_dir, "other.json");
        File.WriteAllText(other, "{ 'command': 'ping' }\n");
        string template = Path.Combine(_dir, "t.txt.scriban");
        File.WriteAllText(template, "{{ schema.name }}\n");
        string[] args = [verb, missing, .. more.Select(m => m switch { "OUT" => Path.Combine(_dir, "out"), "T" => template, "OTHER" => other, _ => m })];
        (int code, string? stdout, string? stderr) = await QapigenProcess.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"qapigen {verb}: can't read schema file '{missing}': No such file or directory\n", stderr);
    }

    [Fact]
    public async Task AMissingDirectoryOrListReadsTheSameWay()
    {
        string missing = Path.Combine(_dir, "nope");
        (int code, string _, string? stderr) = await QapigenProcess.Run("conformance", missing);
        Assert.Equal((2, $"qapigen conformance: can't read directory '{missing}': No such file or directory\n"), (code, stderr));
        (code, _, stderr) = await QapigenProcess.Run("conformance", _dir, "--known", missing);
        Assert.Equal((2, $"qapigen conformance: can't read file '{missing}': No such file or directory\n"), (code, stderr));
    }

    [Fact]
    public async Task VersionPrintsTheToolsVersion()
    {
        (int code, string? stdout, string? stderr) = await QapigenProcess.Run("--version");
        Assert.Equal((0, ""), (code, stderr));
        Assert.Matches(new Regex(@"^qapigen \d+\.\d+\.\d+\S*\n$"), stdout);
        // The package version, from git (Directory.Build.props), without the '+' build metadata.
        string informational = ((System.Reflection.AssemblyInformationalVersionAttribute)Attribute.GetCustomAttribute(
            typeof(Verbs).Assembly, typeof(System.Reflection.AssemblyInformationalVersionAttribute))!).InformationalVersion;
        Assert.Equal("qapigen " + informational.Split('+')[0] + "\n", stdout);
    }

    [Theory]
    [InlineData("chekc", "qapigen: unknown command 'chekc'; did you mean 'check'?")]
    [InlineData("generat", "qapigen: unknown command 'generat'; did you mean 'generate'?")]
    [InlineData("--verison", "qapigen: unknown option '--verison'; did you mean '--version'?")]
    [InlineData("frobnicate", "qapigen: unknown command 'frobnicate'\n")]
    public async Task AMisspeltVerbIsAnsweredWithTheNearestOne(string typed, string message)
    {
        (int code, string? stdout, string? stderr) = await QapigenProcess.Run(typed, "x.json");
        Assert.Equal((2, ""), (code, stdout));
        Assert.StartsWith(message, stderr);
    }

    [Fact]
    public async Task AUsageErrorNamesTheVerbSuggestsAndShowsTheUsage()
    {
        (int code, string? stdout, string? stderr) = await QapigenProcess.Run("check", "x.json", "--lenient-doc");
        Assert.Equal((2, ""), (code, stdout));
        Assert.Equal("qapigen check: unknown option '--lenient-doc'; did you mean '--lenient-docs'?\n"
            + "usage: qapigen check SCHEMA [options]\n"
            + "Try 'qapigen check --help' for more information.\n", stderr);
    }

    [Fact]
    public async Task TheOverviewListsEveryVerb()
    {
        (int code, string? stdout, string _) = await QapigenProcess.Run("--help");
        Assert.Equal(0, code);
        foreach (VerbSpec verb in Verbs.All)
        {
            Assert.Matches(new Regex($"\n  {verb.Name} +{Regex.Escape(verb.Summary)}\n"), stdout);
        }
    }
}
