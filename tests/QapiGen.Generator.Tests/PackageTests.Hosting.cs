using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace QapiGen.Generator.Tests;

/// <summary>
/// <c>QapiGen.Hosting</c> as a user gets it: packed with <c>QapiGen</c> into a local feed, restored
/// into an empty package cache by a project outside the repository that serves its own schema from a
/// generic host, built with warnings as errors, and run.
/// </summary>
public sealed partial class PackageTests
{
    /// <summary>
    /// The consumer references both packages, as docs/hosting.md shows, or QapiGen.Hosting alone: its
    /// dependency on QapiGen brings the generator and the build files that read QapiSchema items
    /// (NuGet leaves a dependency's analyzers/ and build/ out unless the package says otherwise).
    /// </summary>
    [Theory]
    [InlineData("QapiGen;QapiGen.Hosting")]
    [InlineData("QapiGen.Hosting")]
    public async Task AHostingPackageConsumerServesItsApiFromAGenericHost(string packages)
    {
        string project = Path.Combine(_dir, "hosted");
        string feed = Path.Combine(_dir, "feed");
        await PackIntoLocalFeedAsync(Path.Combine("runtime", "QapiGen.Hosting"), "QapiGen.Hosting", project);
        await PackIntoLocalFeedAsync(Path.Combine("runtime", "QapiGen.Runtime"), "QapiGen", project);
        // Microsoft.Extensions.Hosting and its dependencies come from the machine's package folder.
        WriteNuGetConfigWithMachinePackages(project, feed, "QapiGen", "QapiGen.Hosting");
        string references = string.Concat(packages.Split(';').Select(p => $"""<PackageReference Include="{p}" Version="*-*" />"""));
        Write(project, "Hosted.csproj", ConsumerProject($"""{references}<PackageReference Include="Microsoft.Extensions.Hosting" Version="11.0.0" /><QapiSchema Include="api.json" />"""));
        Write(project, "api.json", """
            { 'struct': 'Sum', 'data': { 'value': 'int' } }
            { 'command': 'add', 'data': { 'a': 'int', 'b': 'int' }, 'returns': 'Sum' }
            """);
        // docs/hosting.md's server, a client of the same process calling it, and a stop.
        Write(project, "Program.cs", """
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            using Hosted.Qapi;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Microsoft.Extensions.Logging;
            using QapiGen.Runtime.Protocol;

            string path = Path.Combine(args[0], "qmp.sock");
            HostApplicationBuilder builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IQapiCommands, Commands>();
            builder.Services.AddQmpServer(o => o.Listen("unix:" + path)).AddDispatcher<QapiDispatcher>();
            using IHost host = builder.Build();
            await host.StartAsync();
            await using (QapiClient client = await QapiClient.ConnectAsync("unix:" + path))
            {
                Sum sum = await client.AddAsync(a: 2, b: 40);
                Console.WriteLine($"sum {sum.Value}");
            }
            await host.StopAsync();
            Console.WriteLine($"stopped, socket removed: {!File.Exists(path)}");

            sealed class Commands : IQapiCommands
            {
                public ValueTask<Sum> AddAsync(QmpCommandContext context, long a, long b, CancellationToken cancellationToken) =>
                    new(new Sum { Value = a + b });
            }
            """);

        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "packages") };
        await Dotnet(project, env, "build", "-o", Path.Combine(_dir, "hosted-out"));
        string output = await Dotnet(project, env, Path.Combine(_dir, "hosted-out", "Hosted.dll"), _dir);
        Assert.Equal(["sum 42", "stopped, socket removed: True"], output.Trim().Split('\n').Select(l => l.TrimEnd('\r')));
        // The restored packages are this build's: one version of each, the same.
        string[] restored = [.. packages.Split(';').Append("QapiGen").Distinct()
            .Select(p => Assert.Single(Directory.GetDirectories(Path.Combine(_dir, "packages", p.ToLowerInvariant()))))
            .Select(Path.GetFileName)!];
        Assert.Single(restored.Distinct());
    }

    /// <summary>
    /// QapiGen.Hosting says what it is as QapiGen does (licence, readme, LICENSE file, description),
    /// and depends on the QapiGen of its own version with all of that package's assets, so a
    /// reference to QapiGen.Hosting alone brings the generator and its build files.
    /// </summary>
    [Fact]
    public async Task TheHostingPackageCarriesItsMetadataAndDependsOnQapiGenOfItsVersion()
    {
        string feed = Path.Combine(_dir, "feed");
        await PackIntoLocalFeedAsync(Path.Combine("runtime", "QapiGen.Hosting"), "QapiGen.Hosting", _dir);
        await PackIntoLocalFeedAsync(Path.Combine("runtime", "QapiGen.Runtime"), "QapiGen", _dir);
        XDocument hosting = ReadPackageMetadata(FindPackage(feed, "QapiGen.Hosting"));
        XDocument qapigen = ReadPackageMetadata(FindPackage(feed, "QapiGen"));
        static string Element(XDocument nuspec, string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        Assert.Equal("MIT", Element(hosting, "license"));
        Assert.Equal("README.md", Element(hosting, "readme"));
        Assert.Contains("Microsoft.Extensions.Hosting", Element(hosting, "description"));
        Assert.Contains("qmp", Element(hosting, "tags"));
        Assert.Equal(Element(qapigen, "version"), Element(hosting, "version"));

        XElement dependency = Assert.Single(hosting.Descendants(), e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "QapiGen");
        Assert.Equal(Element(qapigen, "version"), (string?)dependency.Attribute("version"));
        Assert.Equal("All", (string?)dependency.Attribute("include"));
        Assert.Null(dependency.Attribute("exclude"));
    }
}
