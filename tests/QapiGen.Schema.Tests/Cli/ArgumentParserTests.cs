using System.Collections.Generic;
using System.Linq;
using QapiGen.Cli;
using QapiGen.Cli.CommandLine;
using Xunit;

namespace QapiGen.Schema.Tests.Cli;

/// <summary>The one command-line parser of every verb, and its suggestions.</summary>
public sealed class ArgumentParserTests
{
    private static ParsedArguments Parse(VerbSpec verb, params string[] args) => ArgumentParser.Parse(verb, args);

    private static string Fails(VerbSpec verb, params string[] args)
        => Assert.Throws<UsageException>(() => ArgumentParser.Parse(verb, args)).Message;

    [Fact]
    public void ValuesAreTakenInEveryPosixSpelling()
    {
        ParsedArguments a = Parse(Verbs.Generate, "s.json", "-o", "out", "-DCONFIG_A,CONFIG_B", "--define=CONFIG_C", "-D", "CONFIG_D;ALL", "--namespace=N");
        Assert.Equal(["s.json"], a.Positional);
        Assert.Equal("out", a.Value(Verbs.Output));
        Assert.Equal("N", a.Value(Verbs.Namespace));
        Defines defines = a.Defines(Verbs.Define);
        Assert.True(defines.Given && defines.All);
        Assert.Equal(["CONFIG_A", "CONFIG_B", "CONFIG_C", "CONFIG_D"], defines.Symbols.Order());
    }

    [Fact]
    public void DoubleDashEndsTheOptionsAndADashAloneIsAnArgument()
    {
        Assert.Equal(["-", "new.json"], Parse(Verbs.Compat, "-", "new.json").Positional);
        Assert.Equal(["--lenient"], Parse(Verbs.Check, "--", "--lenient").Positional);
    }

    [Fact]
    public void EveryOptionOfEveryVerbParsesUnderEachOfItsNames()
    {
        foreach (VerbSpec verb in Verbs.All)
        {
            foreach (OptionSpec option in verb.Options)
            {
                foreach (string? spelling in new[] { option.Name, option.Alias }.Where(s => s != null))
                {
                    string[] args = option.Value == null ? [spelling!] : [spelling!, option.Choices?[0] ?? "v"];
                    string[] positional = verb == Verbs.Compat ? (option == Verbs.Against ? ["new"] : ["old", "new"]) : ["x"];
                    IEnumerable<string> required = verb.Options.Where(o => o.Required && o != option).SelectMany(o => new[] { o.Name, "v" });
                    ParsedArguments a = Parse(verb, [.. args, .. required, .. positional]);
                    Assert.True(a.Has(option), $"{verb.Name} {spelling}");
                }
            }
        }
    }

    [Fact]
    public void UsageErrorsSayWhatIsWrong()
    {
        Assert.Equal("missing SCHEMA", Fails(Verbs.Check));
        Assert.Equal("unexpected argument 'b.json'", Fails(Verbs.Check, "a.json", "b.json"));
        Assert.Equal("missing -o DIR", Fails(Verbs.Generate, "a.json"));
        Assert.Equal("option -o needs a value: -o DIR", Fails(Verbs.Generate, "a.json", "-o"));
        Assert.Equal("option --lenient takes no value", Fails(Verbs.Check, "a.json", "--lenient=yes"));
        Assert.Equal("unknown format 'xml' (text, json, github-actions, junit, sarif)", Fails(Verbs.Compat, "a", "b", "--format", "xml"));
        Assert.Equal("unknown format 'jsno' (text, json, github-actions, junit, sarif); did you mean 'json'?", Fails(Verbs.Compat, "a", "b", "--format=jsno"));
        Assert.Equal("unknown option '--bogus'", Fails(Verbs.Check, "a.json", "--bogus"));
        Assert.Equal("expected two schemas: OLD NEW (or --against REF NEW)", Fails(Verbs.Compat, "a"));
        Assert.Equal("--config and --no-config exclude each other", Fails(Verbs.Compat, "a", "b", "--config", "c", "--no-config"));
    }

    [Fact]
    public void HelpWinsOverEverythingElseBeforeTheDoubleDash()
    {
        Assert.True(Parse(Verbs.Generate, "--bogus", "-h").HelpRequested);
        Assert.True(Parse(Verbs.Compat, "--help").HelpRequested);
        Assert.Equal("unknown option '--bogus'", Fails(Verbs.Check, "--bogus", "--", "-h"));
    }

    [Theory]
    [InlineData("chekc", "check")]
    [InlineData("dupm", "dump")]
    [InlineData("introspection", "introspect")]
    [InlineData("conformace", "conformance")]
    [InlineData("gen", "generate")]
    public void AMisspeltWordFindsTheIntendedOne(string typed, string meant)
        => Assert.Equal([meant], Suggestions.Near(typed, Verbs.All.Select(v => v.Name)));

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("x")]
    [InlineData("qq")]
    public void AWordNearNothingFindsNothing(string typed)
        => Assert.Empty(Suggestions.Near(typed, Verbs.All.Select(v => v.Name)));
}
