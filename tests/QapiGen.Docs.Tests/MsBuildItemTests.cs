using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Docs.Tests;

/// <summary>
/// <c>&lt;QapiTemplate Include="x.scriban" /&gt;</c> in the generator's build files: MSBuild renders
/// the template through <c>qapigen render</c>, with the same result as the CLI.
/// </summary>
public sealed class MsBuildItemTests : IDisposable
{
    private readonly string _dir = TestSchemas.TempDirectory("qapigen-msbuild-");

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task TemplateItemRendersAsTheCliDoes()
    {
        string template = Path.Combine(_dir, "names.txt.scriban");
        File.WriteAllText(template, "{{ for e in schema.entities }}{{ e.kind }} {{ e.name }}\n{{ end }}");
        string targets = Path.Combine(RepoPaths.Root, "generator", "QapiGen.Generator", "build", "QapiGen.targets");
        string project = Path.Combine(_dir, "use.proj");
        string output = Path.Combine(_dir, "from-msbuild") + "/";
        File.WriteAllText(project, $"""
            <Project>
              <ItemGroup>
                <QapiSchema Include="{TestSchemas.Sample}" />
                <QapiTemplate Include="names.txt.scriban" />
              </ItemGroup>
              <Import Project="{targets}" />
            </Project>
            """);
        await MsBuild(project, "QapiGenRenderTemplates", output);
        string cliOutput = Path.Combine(_dir, "from-cli");
        (int code, string _, string? err) = await QapigenProcess.Run("render", "--template", template, TestSchemas.Sample, "-o", cliOutput);
        Assert.True(code == 0, err);
        string expected = File.ReadAllText(Path.Combine(cliOutput, "names.txt"));
        Assert.Contains("command do-thing\n", expected);
        Assert.Equal(expected, File.ReadAllText(Path.Combine(output, "names.txt")));
    }

    private async Task MsBuild(string project, string target, string output)
    {
        string tool = "dotnet \"" + Path.Combine(AppContext.BaseDirectory, "qapigen.dll") + "\"";
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (string? a in new[] { "msbuild", project, "-t:" + target, "-nologo", "-p:QapiGenTool=" + tool, "-p:QapiTemplateOutputDir=" + output })
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(p.ExitCode == 0, await stdout + await stderr);
    }

    [Fact]
    public async Task CSharpOutputsJoinTheCompilation()
    {
        File.WriteAllText(Path.Combine(_dir, "Names.cs.scriban"), "// {{ schema.commands.size }} commands\n");
        File.WriteAllText(Path.Combine(_dir, "names.txt.scriban"), "{{ schema.commands.size }}");
        string targets = Path.Combine(RepoPaths.Root, "generator", "QapiGen.Generator", "build", "QapiGen.targets");
        string project = Path.Combine(_dir, "use.proj");
        string output = Path.Combine(_dir, "gen") + "/";
        File.WriteAllText(project, $"""
            <Project>
              <ItemGroup>
                <QapiSchema Include="{TestSchemas.Sample}" />
                <QapiTemplate Include="Names.cs.scriban;names.txt.scriban" />
              </ItemGroup>
              <Import Project="{targets}" />
              <Target Name="ListCompile" DependsOnTargets="QapiGenRenderTemplates;QapiGenCompileTemplateOutputs">
                <WriteLinesToFile File="compile.txt" Lines="@(Compile)" Overwrite="true" />
              </Target>
            </Project>
            """);
        await MsBuild(project, "ListCompile", output);
        Assert.Equal("// 2 commands\n", File.ReadAllText(Path.Combine(output, "Names.cs")));
        Assert.True(File.Exists(Path.Combine(output, "names.txt")));
        string[] compiled = File.ReadAllLines(Path.Combine(_dir, "compile.txt"));
        Assert.Equal(new[] { output + "Names.cs" }, compiled);
    }
}
