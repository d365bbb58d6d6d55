using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Schema.Tests.Robustness;

/// <summary>
/// What a schema file may be: a regular file of at most <see cref="SchemaFileSystem.MaxFileSize"/>
/// bytes. Devices, FIFOs and oversized files are refused with the reference's "can't read" error,
/// located at the include directive, before they are read (so neither /dev/zero nor a FIFO without
/// a writer can hold the front end).
/// </summary>
public sealed class SchemaFileGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qapigen-guard-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Loads on the thread pool, failing (not hanging) if the load takes minutes.</summary>
    private static async Task<QapiError> LoadFails(string file)
    {
        Task<QapiSchema> load = Task.Run(() => QapiSchema.Load(file));
        QapiError e = await Assert.ThrowsAnyAsync<QapiError>(() => load.WaitAsync(TimeSpan.FromMinutes(1)));
        return e;
    }

    [LinuxFact]
    public async Task IncludingDevZeroIsRefusedAsNotARegularFile()
    {
        string main = Write("zero.json", "{ 'enum': 'Colour', 'data': [ 'red' ] }\n{ 'include': '/dev/zero' }\n");
        QapiError e = await LoadFails(main);
        Assert.Equal($"{main}:2: can't read include file '/dev/zero': not a regular file", e.ToString());
    }

    [LinuxFact]
    public async Task AMainFileThatIsADeviceIsRefused()
    {
        QapiError e = await LoadFails("/dev/zero");
        Assert.Equal("can't read schema file '/dev/zero': not a regular file", e.ToString());
    }

    [LinuxFact]
    public async Task IncludingAFifoIsRefusedWithoutWaitingForAWriter()
    {
        string fifo = Path.Combine(_dir, "pipe.json");
        using (var mk = Process.Start("mkfifo", fifo))
        {
            await mk.WaitForExitAsync();
            Assert.Equal(0, mk.ExitCode);
        }
        string main = Write("fifo.json", "{ 'include': 'pipe.json' }\n");
        Task<QapiSchema> load = Task.Run(() => QapiSchema.Load(main));
        if (await Task.WhenAny(load, Task.Delay(TimeSpan.FromMinutes(1))) != load)
        {
            // The front end opened the FIFO and waits for a writer: be one, so the reader gets end
            // of file and no thread stays blocked after the test.
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }
            Assert.Fail("reading the schema waited on the FIFO");
        }
        QapiError e = await Assert.ThrowsAnyAsync<QapiError>(() => load);
        Assert.Equal($"{main}:1: can't read include file '{fifo}': not a regular file", e.ToString());
    }

    [Fact]
    public async Task AFileOverTheSizeLimitIsRefusedBeforeItIsRead()
    {
        // Sparse: claims 17 MiB, takes no disk.
        string big = Path.Combine(_dir, "big.json");
        using (var f = new FileStream(big, FileMode.Create))
        {
            f.SetLength(SchemaFileSystem.MaxFileSize + 1L);
        }

        string main = Write("main.json", "{ 'include': 'big.json' }\n");
        int fds = OpenFds();
        for (int i = 0; i < 20; i++)
        {
            QapiError e = await LoadFails(main);
            Assert.Equal($"{main}:1: can't read include file '{big}': file too large (more than 16 MiB)", e.ToString());
        }
        if (fds >= 0)
        {
            Assert.True(OpenFds() <= fds + 2, "refused files are closed");
        }
    }

    [Fact]
    public void AFileAtTheSizeLimitIsRead()
    {
        // Spaces up to the limit, then a definition: exactly MaxFileSize bytes.
        string def = "{ 'enum': 'Colour', 'data': [ 'red' ] }\n";
        string path = Path.Combine(_dir, "limit.json");
        File.WriteAllText(path, new string(' ', SchemaFileSystem.MaxFileSize - def.Length) + def);
        Assert.Equal(SchemaFileSystem.MaxFileSize, new FileInfo(path).Length);
        Assert.NotNull(QapiSchema.Load(path).LookupType("Colour"));
    }

    [Fact]
    public void TextsHandedInMemoryAreHeldToTheSameLimit()
    {
        // The source generator's path: AdditionalFiles texts, no disk.
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem()
            .Add("main.json", "{ 'include': 'huge.json' }\n")
            .Add("huge.json", new string(' ', SchemaFileSystem.MaxFileSize + 1));
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("main.json", fs));
        Assert.Equal("main.json:1: can't read include file 'huge.json': file too large (more than 16 MiB)", e.ToString());
    }

    [LinuxFact]
    public async Task QapigenRefusesDevZeroAndExits1()
    {
        string main = Write("zero.json", "{ 'include': '/dev/zero' }\n");
        (int code, string _, string? err) = await QapigenProcess.Run("check", main);
        Assert.Equal((1, $"{main}:1: can't read include file '/dev/zero': not a regular file\n"), (code, err));
    }

    private static int OpenFds() => Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : -1;
}
