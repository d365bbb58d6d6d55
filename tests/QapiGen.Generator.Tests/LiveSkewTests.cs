using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;
using Xunit.Abstractions;

namespace QapiGen.Generator.Tests;

/// <summary>A fact that needs ../shared/qemu-schemas and Debian's QEMU 7.2; skipped, with the reason, without either.</summary>
public sealed class LiveQemuFactAttribute : FactAttribute
{
    public LiveQemuFactAttribute()
    {
        if (RepoPaths.SharedDirectory("qemu-schemas") == null)
        {
            Skip = "reference data ../shared/qemu-schemas is absent";
        }
        else if (!File.Exists(QemuMachine.Binary))
        {
            Skip = QemuMachine.Binary + " is not installed";
        }
    }
}

/// <summary>
/// Clients generated from QEMU schemas newer (v8.2.0) and older (v6.2.0, as shipped: lenient docs) than
/// the server, against Debian's QEMU 7.2 (q35, virtio-net, virtio-blk, a serial port): every read-only
/// command with no mandatory argument that both the schema and the server's <c>query-commands</c> have
/// is called; none fails to parse, each value written back out equals the server's JSON (member order
/// aside), and STOP / RESUME arrive typed.
/// </summary>
public class LiveSkewTests(ITestOutputHelper output)
{
    /// <param name="missing">The replies expected to lack members the schema makes mandatory (command → path).</param>
    private async Task Run(string version, string leniency, string? baseline, params (string Command, string Path)[] missing)
    {
        QemuBuild build = QemuBuilds.AllSymbolsWithProbe(version, leniency, baseline);
        output.WriteLine(build.Summary);
        Assert.True(build.Assembly != null, Harness.Format(build.Problems));
        var assembly = System.Reflection.Assembly.Load(build.Assembly);
        MethodInfo probe = assembly.GetType("Test.Qapi.LiveProbe", throwOnError: true)!.GetMethod("RunAsync")!;

        await using QemuMachine machine = await QemuMachine.StartAsync();
        List<string?[]> rows = await ((Task<List<string?[]>>)probe.Invoke(null, [machine.Endpoint])!).WaitAsync(TimeSpan.FromMinutes(5));

        var commands = rows.Where(r => r[0] != "#event").ToList();
        var parseFailures = new List<string>();
        var serverErrors = new List<string>();
        var mismatches = new List<string>();
        foreach (string?[]? r in commands)
        {
            (string Command, string Path) expected = missing.FirstOrDefault(m => m.Command == r[0]);
            if (expected.Command != null)
            {
                // A client newer than the server: reported as the issue asks, naming command, path and cause.
                Assert.Equal($"QmpReplyException: The reply to '{r[0]}' does not match the client's schema: mandatory member '{expected.Path}' is missing. " +
                    "The server may be older than the schema: it does not send a member the schema makes mandatory.", r[1]);
                continue;
            }
            // A server's own error (no such device here) is not the client's failure.
            if (r[1] != null && !r[1]!.StartsWith("QmpException: ", StringComparison.Ordinal))
            {
                parseFailures.Add($"{r[0]} (typed): {r[1]}");
            }

            if (r[2] != null && !r[2]!.StartsWith("QmpException: ", StringComparison.Ordinal))
            {
                parseFailures.Add($"{r[0]} (read): {r[2]}");
            }

            if (r[1] != null && r[1]!.StartsWith("QmpException: ", StringComparison.Ordinal))
            {
                serverErrors.Add($"{r[0]}: {r[1]}");
            }

            if (r[3] != null && r[4] != null && JsonCanon.Of(r[3]!) != JsonCanon.Of(r[4]!))
            {
                mismatches.Add($"{r[0]}:\n  server:  {JsonCanon.Of(r[3]!)}\n  written: {JsonCanon.Of(r[4]!)}");
            }
        }
        int roundTripped = commands.Count(r => r[4] != null);
        output.WriteLine($"{version} client vs QEMU 7.2: {commands.Count} commands called, {parseFailures.Count} client-side parse failures, " +
            $"{serverErrors.Count} server errors, {roundTripped} values written back, {mismatches.Count} differing");
        foreach (string e in serverErrors)
        {
            output.WriteLine("  server error: " + e);
        }

        Assert.True(commands.Count >= 40, "only " + commands.Count + " commands called");
        Assert.True(parseFailures.Count == 0, string.Join("\n", parseFailures));
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(commands.Count - serverErrors.Count - missing.Length, roundTripped);

        var events = rows.Where(r => r[0] == "#event").Select(r => r[1] + " " + r[2]).ToList();
        output.WriteLine("events: " + string.Join(", ", events));
        Assert.Contains("ResumeEvent RESUME", events);
        Assert.Contains("StopEvent STOP", events);
    }

    /// <summary>
    /// With baseline v7.0.50 the members v8.2.0 made mandatory in output that 7.2 lacks
    /// (<c>query-machines</c> <c>acpi</c>, <c>query-blockstats</c> <c>zone_append_bytes</c>, <c>query-dirty-rate</c>
    /// <c>calc-time-unit</c>) are nullable, and every reply reads. (Without a baseline those three replies raise
    /// QmpReplyException, naming command, path and cause; SkewTests pins that message.)
    /// </summary>
    [LiveQemuFact]
    public Task ClientFromV820WithBaselineV7050ReadsEverythingQEMU72Sends() => Run("v8.2.0", "", "v7.0.50");

    [LiveQemuFact]
    public Task ClientFromV620AsShippedReadsEverythingQEMU72Sends() => Run("v6.2.0", "QapiLenientDocs", null);
}
