using System;
using System.IO;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests.Robustness;

/// <summary><c>qapigen compat --lenient</c> as a user runs it, on mistakes in QEMU's older language.</summary>
public sealed class LenientCompatProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-lenient-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("'Missing'", "branch 'inet' uses unknown type 'Missing'")]
    [InlineData("['Missing']", "union uses unknown type 'Missing'")]
    public async Task ASimpleUnionBranchOfAnUnknownTypeExits2WithTheLocatedError(string type, string message)
    {
        string file = Path.Combine(_dir, "old.json");
        File.WriteAllText(file, "{ 'command': 'connect', 'data': { 'addr': 'Addr' } }\n{ 'union': 'Addr', 'data': { 'inet': " + type + " } }\n");
        (int code, string? stdout, string? stderr) = await QapigenProcess.Run("compat", "--lenient", file, file);
        Assert.Equal((2, "", $"{file}: In union 'Addr':\n{file}:2: {message}\n"), (code, stdout, stderr));
    }
}
