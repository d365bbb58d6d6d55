using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// The packages as a user gets them. <c>QapiGen</c>: packed from the runtime project (lib/, the
/// generator in analyzers/, build/), restored from a local feed into an empty package cache by a
/// project outside the repository, built, and run: a host and the typed client it generates,
/// talking over a unix socket. <c>QapiGen.Tool</c>: installed as a dotnet tool from the feed, and run.
/// </summary>
public sealed partial class PackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-pkg-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task APackageConsumerBuildsAndTalksToItsOwnHost()
    {
        string project = Path.Combine(_dir, "consumer");
        await PackIntoLocalFeedAsync(Path.Combine("runtime", "QapiGen.Runtime"), "QapiGen", project);
        Write(project, "Consumer.csproj", ConsumerProject("""<PackageReference Include="QapiGen" Version="*-*" /><QapiSchema Include="schema/api.json" />"""));
        // Two files, so the package's build/ targets must pass the included one to the generator.
        Write(project, "schema/api.json", """
            { 'include': 'sum.json' }

            ##
            # @add:
            #
            # Adds two numbers.
            #
            # @a: the first
            #
            # @b: the second
            ##
            { 'command': 'add', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'Sum' }
            """);
        Write(project, "schema/sum.json", """
            ##
            # @Sum:
            #
            # A total.
            #
            # @value: the total
            ##
            { 'struct': 'Sum', 'data': { 'value': 'int' } }
            """);
        Write(project, "Program.cs", """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            using Consumer.Qapi;
            using QapiGen.Runtime.Protocol;
            using QapiGen.Runtime.Server;
            using QapiGen.Runtime.Transports;

            // The README's quick start, as written there (a monitor serving the generated dispatcher).
            string path = Path.Combine(args[0], "qmp.sock");
            using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
            await using QmpMonitor monitor = new("mon0", QmpListener.Create("unix:" + path),
                new QapiDispatcher(new Commands()), ownsListener: true);
            monitor.Start();
            await using (QapiClient client = await QapiClient.ConnectAsync("unix:" + path, cancellationToken: timeout.Token))
            {
                Sum sum = await client.AddAsync(a: 2, b: 40, cancellationToken: timeout.Token);
                Console.WriteLine($"sum {sum.Value}");
            }
            await monitor.StopGracefullyAsync(TimeSpan.FromSeconds(5));

            sealed class Commands : IQapiCommands
            {
                public ValueTask<Sum> AddAsync(QmpCommandContext context, long a, long b, CancellationToken cancellationToken) =>
                    new(new Sum { Value = a + b });
            }
            """);

        // An empty package cache: the package must bring everything, and no stale copy of an
        // earlier build may stand in for this one.
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "packages") };
        await Dotnet(project, env, "build", "-o", Path.Combine(_dir, "out"));
        string output = await Dotnet(project, env, Path.Combine(_dir, "out", "Consumer.dll"), _dir);
        Assert.Equal("sum 42", output.Trim());
    }

    /// <summary>
    /// QapiGen.targets passes the main file and the *.json under its folder and its IncludeDirs, never
    /// one under obj/ or bin/, even with the schema at the project root; the generator follows the
    /// includes, outside the main folder too; editing an included file regenerates on the next build.
    /// </summary>
    [Fact]
    public async Task IncludesOutsideTheMainFolderWorkAndNothingUnderObjOrBinIsAnInput()
    {
        string project = Path.Combine(_dir, "consumer");
        string common = Path.Combine(_dir, "common");
        await PackIntoLocalFeedAsync(Path.Combine("runtime", "QapiGen.Runtime"), "QapiGen", project);
        Write(project, "Consumer.csproj", ConsumerProject("""<PackageReference Include="QapiGen" Version="*-*" /><QapiSchema Include="api.json" IncludeDirs="../common" />"""));
        Write(project, "api.json", """
            { 'include': '../common/sum.json' }
            { 'command': 'add', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'Sum' }
            """);
        Write(common, "sum.json", "{ 'struct': 'Sum', 'data': { 'value': 'int' } }\n");
        Write(project, "Program.cs", """
            System.Console.WriteLine("note " + (typeof(Consumer.Qapi.Sum).GetProperty("Note") != null));
            """);
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "packages") };
        await Dotnet(project, env, "build");
        string dll = Path.Combine(project, "bin", "Debug", "net10.0", "Consumer.dll");
        Assert.Equal("note False", (await Dotnet(project, env, dll)).Trim());
        Assert.True(File.Exists(Path.Combine(project, "obj", "project.assets.json")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(project, "bin"), "*.json", SearchOption.AllDirectories));

        // What the targets hand the generator, now that obj/ and bin/ hold JSON files.
        string items = await Dotnet(project, env, "msbuild", "-t:QapiGenCollectSchemas", "-getItem:AdditionalFiles");
        using var json = System.Text.Json.JsonDocument.Parse(items);
        var schemaFiles = json.RootElement.GetProperty("Items").GetProperty("AdditionalFiles").EnumerateArray()
            .Where(i => i.TryGetProperty("QapiSchema", out JsonElement role) && role.GetString() != "")
            .Select(i => (Path: i.GetProperty("FullPath").GetString()!, Role: i.GetProperty("QapiSchema").GetString()!))
            .OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { (Path.Combine(common, "sum.json"), "include"), (Path.Combine(project, "api.json"), "main") }, schemaFiles);

        Write(common, "sum.json", "{ 'struct': 'Sum', 'data': { 'value': 'int', '*note': 'str' } }\n");
        await Dotnet(project, env, "build");
        Assert.Equal("note True", (await Dotnet(project, env, dll)).Trim());
    }

    [Fact]
    public async Task TheToolPackageInstallsAndChecksASchema()
    {
        string tools = Path.Combine(_dir, "tools");
        string? nativeFeed = Environment.GetEnvironmentVariable(NativeToolFeedVariable);
        if (nativeFeed is null)
        {
            // The framework-dependent package alone: the native one takes minutes to link, so only
            // CI makes it (and sets the variable).
            await PackIntoLocalFeedAsync(Path.Combine("generator", "QapiGen.Cli"), "QapiGen.Tool", _dir, "-p:ToolPackageRuntimeIdentifiers=");
        }
        else
        {
            WriteNuGetConfig(_dir, nativeFeed);
        }
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "packages") };
        await Dotnet(_dir, env, "tool", "install", "QapiGen.Tool", "--prerelease", "--tool-path", tools);
        if (nativeFeed is not null)
        {
            AssertNativeTool(tools);
        }
        Write(_dir, "bad.json", "{ 'struct': 'Thing',\n  'data': { 'has-x': 'int' } }\n");

        ProcessStartInfo info = new(Path.Combine(tools, "qapigen")) { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add(Path.Combine(_dir, "bad.json"));
        using Process process = Process.Start(info)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("bad.json:1: 'data' member 'has-x' uses reserved name", await stderr);
    }

    /// <summary>
    /// The package says what it is and what it needs: licence, readme, LICENSE file, description
    /// naming the framework and platform, tags, and a version from git rather than a fixed number
    /// (so a re-pack is never shadowed by a cached package of the same version).
    /// </summary>
    [Fact]
    public async Task ThePackageCarriesItsMetadataAndAVersionFromGit()
    {
        string feed = Path.Combine(_dir, "feed");
        await Dotnet(RepoPaths.Root, ["pack", Path.Combine(RepoPaths.Root, "runtime", "QapiGen.Runtime"), "--no-build", "-c", Configuration, "-o", feed]);
        System.Xml.Linq.XDocument nuspec = ReadPackageMetadata(FindPackage(feed, "QapiGen"));
        string Element(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        Assert.Equal("MIT", Element("license"));
        Assert.Equal("README.md", Element("readme"));
        Assert.Contains("net10.0", Element("description"));
        Assert.Contains("Linux", Element("description"));
        Assert.Contains("qmp", Element("tags"));
        Assert.Equal("git", nuspec.Descendants().Single(e => e.Name.LocalName == "repository").Attribute("type")?.Value);
        // 0.2.0-alpha.0.HEIGHT (no release tag yet), optionally .dirty.TIMESTAMP for a working tree
        // with changes; never the fixed 0.1.0 of old.
        Assert.Matches(@"^\d+\.\d+\.\d+(-alpha\.0\.\d+)?(-dev)?(\.dirty\.\d{14})?$", Element("version"));
        Assert.NotEqual("0.1.0", Element("version"));
    }

    /// <summary>
    /// A project on an older framework gets one clear build error naming what it needs, not a
    /// restore that succeeds and a wall of CS0246 errors about the missing runtime.
    /// </summary>
    [Fact]
    public async Task AnOlderTargetFrameworkGetsAClearError()
    {
        string project = Path.Combine(_dir, "old");
        await PackIntoLocalFeedAsync(Path.Combine("runtime", "QapiGen.Runtime"), "QapiGen", project);
        // net8.0's reference pack comes from the machine's usual package source.
        Write(project, "NuGet.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Path.Combine(_dir, "feed")}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        Write(project, "Old.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="QapiGen" Version="*-*" />
                <QapiSchema Include="api.json" />
              </ItemGroup>
            </Project>
            """);
        Write(project, "api.json", "{ 'command': 'ping' }\n");
        (int exit, string output, _) = await DotnetUnchecked(project, new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "packages") }, ["build"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("error QAPI0090: QapiGen needs net10.0 or later, and this project targets net8.0", output);
        Assert.DoesNotContain("CS0246", output);
    }

    /// <summary>
    /// The code generated for any schema is AOT- and trim-clean: a consumer of QEMU's whole v8.2.0
    /// schema (every condition's symbol defined, so no code is left out by #if), built from the
    /// package with <c>IsAotCompatible</c> (the trim, AOT and single-file analyzers), has no warning
    /// but the two its canary provokes, which prove the analyzers ran; its documentation is built too, so a
    /// malformed XML doc or an untagged parameter in the generated code would show as a warning. (A full <c>PublishAot</c> of
    /// that consumer takes minutes of native link on this machine; docs/native.md has the figures.)
    /// </summary>
    [SharedFact("qemu-schemas")]
    public async Task AConsumerOfQemusWholeSchemaPassesTheAotAndTrimAnalyzers()
    {
        List<(string Path, string Text, bool Main)> schema = Qemu.Schema("v8.2.0")!;
        string symbols = string.Join(';', Qemu.AllSymbols(Harness.Run(schema).Result));
        string project = Path.Combine(_dir, "aot-consumer");
        await PackIntoLocalFeedAsync(Path.Combine("runtime", "QapiGen.Runtime"), "QapiGen", project);
        // The analyzers come in a package of the SDK's (Microsoft.NET.ILLink.Tasks).
        WriteNuGetConfigWithMachinePackages(project, Path.Combine(_dir, "feed"), "QapiGen");
        Write(project, "Consumer.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <IsAotCompatible>true</IsAotCompatible>
                <!-- The generated XML docs of the whole schema are checked too (well-formed, every param tagged). -->
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <DefineConstants>$(DefineConstants);{symbols}</DefineConstants>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="QapiGen" Version="*-*" />
                <QapiSchema Include="{schema.Single(f => f.Main).Path}" />
              </ItemGroup>
            </Project>
            """);
        Write(project, "Program.cs", """
            using System;
            using Consumer.Qapi;

            await using QapiClient client = await QapiClient.ConnectAsync("unix:" + args[0]);
            VersionInfo version = await client.QueryVersionAsync();
            Console.WriteLine($"{version.Qemu.Major}.{version.Qemu.Minor}");
            Canary.Trim();
            Canary.Aot();
            """);
        Write(project, "Canary.cs", """
            using System.Diagnostics.CodeAnalysis;

            static class Canary
            {
                [RequiresUnreferencedCode("canary")]
                private static void NeedsUnreferencedCode() { }

                [RequiresDynamicCode("canary")]
                private static void NeedsDynamicCode() { }

                public static void Trim() => NeedsUnreferencedCode();

                public static void Aot() => NeedsDynamicCode();
            }
            """);

        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "packages") };
        string output = await DotnetWithin(TimeSpan.FromMinutes(20), project, env, "build", "-nologo", "-clp:NoSummary", "-o", Path.Combine(_dir, "aot-out"));
        var warnings = output.Split('\n')
            .Select(l => Regex.Match(l, @"^\s*(?<file>[^(]*?)(\(\d+,\d+\))? ?: warning (?<id>[A-Z]+\d+):"))
            .Where(m => m.Success)
            .Select(m => $"{Path.GetFileName(m.Groups["file"].Value.Trim())} {m.Groups["id"].Value}")
            .Distinct().Order().ToList();
        Assert.Equal(["Canary.cs IL2026", "Canary.cs IL3050"], warnings);
    }

    /// <summary>
    /// A feed holding all of QapiGen.Tool's packages, the native QapiGen.Tool.linux-x64 included
    /// (.ci/run packs them, docs/native.md). When set, the tool test installs from it and requires
    /// the native executable.
    /// </summary>
    private const string NativeToolFeedVariable = "QAPIGEN_TOOL_FEED";

    /// <summary>
    /// On linux-x64 <c>dotnet tool install</c> must have picked the RID-specific package: an ELF
    /// executable named qapigen and no managed qapigen.dll anywhere in the tool store.
    /// </summary>
    private static void AssertNativeTool(string tools)
    {
        string[] files = Directory.GetFiles(Path.Combine(tools, ".store"), "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(files, f => Path.GetFileName(f) == "qapigen.dll");
        string executable = Assert.Single(files, f => Path.GetFileName(f) == "qapigen");
        Assert.Contains(Path.DirectorySeparatorChar + "linux-x64" + Path.DirectorySeparatorChar, executable);
        byte[] magic = new byte[4];
        using (FileStream stream = File.OpenRead(executable))
        {
            stream.ReadExactly(magic);
        }
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, magic);
    }

    /// <summary>
    /// Packs <paramref name="project"/> (relative to the repository) from what the solution build
    /// made, into a feed of its own, and makes that feed the only package source of
    /// <paramref name="userDirectory"/>.
    /// </summary>
    private async Task PackIntoLocalFeedAsync(string project, string packageId, string userDirectory, params string[] properties)
    {
        string feed = Path.Combine(_dir, "feed");
        await Dotnet(RepoPaths.Root, ["pack", Path.Combine(RepoPaths.Root, project), "--no-build", "-c", Configuration, "-o", feed, .. properties]);
        Assert.NotNull(FindPackage(feed, packageId));
        WriteNuGetConfig(userDirectory, feed);
    }

    /// <summary>The one package <paramref name="packageId"/> in <paramref name="feed"/> (any version).</summary>
    private static string FindPackage(string feed, string packageId)
    {
        // "QapiGen.0.2.0-alpha.0.7.nupkg" but not "QapiGen.Tool.0.2.0….nupkg": the version starts with a digit.
        string[] found = Directory.GetFiles(feed, packageId + ".*.nupkg")
            .Where(f => char.IsAsciiDigit(Path.GetFileName(f)[packageId.Length + 1]))
            .ToArray();
        return Assert.Single(found);
    }

    /// <summary>
    /// The nuspec of <paramref name="package"/>, after checking that the package carries the LICENSE
    /// and README.md its metadata names.
    /// </summary>
    private static System.Xml.Linq.XDocument ReadPackageMetadata(string package)
    {
        using System.IO.Compression.ZipArchive zip = System.IO.Compression.ZipFile.OpenRead(package);
        Assert.NotNull(zip.GetEntry("LICENSE"));
        Assert.NotNull(zip.GetEntry("README.md"));
        System.IO.Compression.ZipArchiveEntry nuspecEntry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = nuspecEntry.Open();
        return System.Xml.Linq.XDocument.Load(stream);
    }

    /// <summary>
    /// Makes <paramref name="feed"/> the source of <paramref name="localPackages"/> for
    /// <paramref name="userDirectory"/>, and the machine's package folder that of every other package
    /// (the SDK's, Microsoft.Extensions.*): this build's packages can only come from its feed.
    /// </summary>
    private static void WriteNuGetConfigWithMachinePackages(string userDirectory, string feed, params string[] localPackages)
    {
        string machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string patterns = string.Concat(localPackages.Select(p => $"""<package pattern="{p}" />"""));
        Write(userDirectory, "NuGet.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="machine" value="{machinePackages}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">{patterns}</packageSource>
                <packageSource key="machine"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    /// <summary>Makes <paramref name="feed"/> the only package source of <paramref name="userDirectory"/>.</summary>
    private static void WriteNuGetConfig(string userDirectory, string feed)
    {
        Write(userDirectory, "NuGet.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>
    /// A consumer's project file as a user writes one: an executable on net10.0 with nullable on and
    /// warnings as errors (so a warning in the generated code fails the test), and <paramref name="items"/>.
    /// </summary>
    private static string ConsumerProject(string items) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>{items}</ItemGroup>
        </Project>
        """;

    private static void Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static Task<string> Dotnet(string workingDirectory, params string[] args) =>
        Dotnet(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs dotnet and returns its stdout; a non-zero exit fails the test with both outputs.</summary>
    private static Task<string> Dotnet(string workingDirectory, Dictionary<string, string> env, params string[] args) =>
        DotnetWithin(TimeSpan.FromMinutes(5), workingDirectory, env, args);

    private static async Task<string> DotnetWithin(TimeSpan timeout, string workingDirectory, Dictionary<string, string> env, params string[] args)
    {
        (int exit, string stdout, string stderr) = await DotnetUnchecked(workingDirectory, env, args, timeout);
        Assert.True(exit == 0, $"dotnet {string.Join(' ', args)} exited with {exit}:\n{stdout}\n{stderr}");
        return stdout;
    }

    /// <summary>Runs dotnet and returns its exit code and outputs.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> DotnetUnchecked(string workingDirectory, Dictionary<string, string> env, string[] args,
        TimeSpan? timeout = null)
    {
        ProcessStartInfo info = new("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // The test host runs under MSBuild's and the test platform's variables; a nested build
        // must see a user's environment instead.
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }
        foreach ((string name, string value) in env)
        {
            info.Environment[name] = value;
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout, await stderr);
    }
}
