using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>A fact that needs QEMU (Debian's qemu-system-x86); skipped, visibly, without it.</summary>
public sealed class QemuFactAttribute : FactAttribute
{
    public const string Binary = "/usr/bin/qemu-system-x86_64";

    public QemuFactAttribute()
    {
        if (!File.Exists(Binary))
        {
            Skip = Binary + " is not installed";
        }
    }
}

/// <summary>The same bad arguments to a real QEMU and to the generated dispatcher: same class, same text.</summary>
public class InteropTests
{
    private static readonly (string Command, string Arguments)[] Inputs =
    [
        ("add-fd", """{"fdset-id":"x"}"""),
        ("add-fd", """{"fdset-id":null}"""),
        ("add-fd", """{"fdset-id":1.5}"""),
        ("add-fd", """{"bogus":1}"""),
        ("add-fd", """{"opaque":5,"bogus":1}"""),
        ("migrate-set-parameters", """{"cpu-throttle-initial":300}"""),
        ("migrate-set-parameters", """{"cpu-throttle-initial":-1}"""),
        ("migrate-set-parameters", """{"cpu-throttle-initial":"1"}"""),
        ("migrate-set-parameters", """{"max-bandwidth":"x"}"""),
        ("migrate-set-parameters", """{"max-bandwidth":18446744073709551616}"""),
        ("migrate-set-parameters", """{"max-bandwidth":1.5}"""),
        ("migrate-set-capabilities", """{}"""),
        ("migrate-set-capabilities", """{"capabilities":{}}"""),
        ("migrate-set-capabilities", """{"capabilities":[{"capability":"xbzrle"}]}"""),
        ("migrate-set-capabilities", """{"capabilities":[{"capability":"nope","state":true}]}"""),
        ("migrate-set-capabilities", """{"capabilities":[{"capability":"xbzrle","state":true,"zz":1}]}"""),
        ("migrate-set-capabilities", """{"capabilities":[{"capability":"xbzrle","state":1}]}"""),
        ("migrate-set-capabilities", """{"capabilities":[1]}"""),
    ];

    [QemuFact]
    public async Task BadArgumentsMatchQEMU()
    {
        List<string> qemu = await AskQemu(Inputs);
        var dispatcher = new QapiDispatcher(new Handlers());
        var ours = new List<string>();
        foreach ((string? command, string? arguments) in Inputs)
        {
            ours.Add(await Dispatch.Run(dispatcher, command, arguments));
        }

        for (int i = 0; i < Inputs.Length; i++)
        {
            Assert.Equal($"{Inputs[i].Command} {Inputs[i].Arguments} => {qemu[i]}", $"{Inputs[i].Command} {Inputs[i].Arguments} => {ours[i]}");
        }
    }

    // Runs QEMU with QMP on stdio and returns "error: CLASS: DESC" (or the return) per input.
    private static async Task<List<string>> AskQemu((string Command, string Arguments)[] inputs)
    {
        var psi = new ProcessStartInfo(QemuFactAttribute.Binary, "-nodefaults -display none -machine none -qmp stdio")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(psi)!;
        try
        {
            await process.StandardOutput.ReadLineAsync(); // greeting
            await process.StandardInput.WriteLineAsync("""{"execute":"qmp_capabilities"}""");
            await process.StandardOutput.ReadLineAsync();
            var results = new List<string>();
            foreach ((string? command, string? arguments) in inputs)
            {
                await process.StandardInput.WriteLineAsync($$"""{"execute":"{{command}}","arguments":{{arguments}}}""");
                await process.StandardInput.FlushAsync();
                while (true)
                {
                    string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
                    using var doc = JsonDocument.Parse(line!);
                    if (doc.RootElement.TryGetProperty("event", out _))
                    {
                        continue;
                    }

                    if (doc.RootElement.TryGetProperty("error", out JsonElement error))
                    {
                        results.Add("error: " + error.GetProperty("class").GetString() + ": " + error.GetProperty("desc").GetString());
                    }
                    else
                    {
                        results.Add(doc.RootElement.GetProperty("return").GetRawText());
                    }

                    break;
                }
            }
            return results;
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
