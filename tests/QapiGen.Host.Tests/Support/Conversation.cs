using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace QapiGen.Host.Tests.Support;

/// <summary>
/// One step of a conversation played against both servers: raw text to send and whether an
/// fd (opened with <see cref="FdAccess"/>) travels with it.
/// </summary>
internal sealed record Step(string Send, FileAccess? FdAccess = null);

/// <summary>Plays the same steps on the host and on QEMU and compares the replies field by field.</summary>
internal static class Conversation
{
    /// <summary>Members whose values legitimately differ (fd numbers, versions); only their presence and type are compared.</summary>
    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal) { "fd", "micro", "minor", "major", "package" };

    public static async Task<List<JsonElement>> PlayAsync(RawQmp qmp, IEnumerable<Step> steps)
    {
        List<JsonElement> replies = new();
        foreach (Step step in steps)
        {
            if (step.FdAccess is { } access)
            {
                using SafeFileHandle fd = FdTools.DevNull(access);
                replies.Add(await qmp.ExecuteAsync(step.Send, fd));
            }
            else
            {
                replies.Add(await qmp.ExecuteAsync(step.Send));
            }
        }
        return replies;
    }

    public static async Task CompareAsync(RawQmp host, RawQmp qemu, params Step[] steps)
    {
        List<JsonElement> ours = await PlayAsync(host, steps);
        List<JsonElement> theirs = await PlayAsync(qemu, steps);
        for (int i = 0; i < steps.Length; i++)
        {
            AssertSame(theirs[i], ours[i], $"step {i}: {steps[i].Send}");
        }
    }

    /// <summary>Same JSON up to member order and the volatile members' values.</summary>
    public static void AssertSame(JsonElement expected, JsonElement actual, string where)
    {
        string? difference = Diff(expected, actual, "$");
        if (difference is not null)
        {
            Assert.Fail($"{where}\n  QEMU: {expected}\n  host: {actual}\n  first difference at {difference}");
        }
    }

    private static string? Diff(JsonElement a, JsonElement b, string path)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return $"{path} ({a.ValueKind} vs {b.ValueKind})";
        }
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var am = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                var bm = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                foreach (string name in am.Keys.Union(bm.Keys).Order(StringComparer.Ordinal))
                {
                    if (!am.TryGetValue(name, out JsonElement av) || !bm.TryGetValue(name, out JsonElement bv))
                    {
                        return $"{path}.{name} (present on one side only)";
                    }
                    if (Volatile.Contains(name) && av.ValueKind == bv.ValueKind)
                    {
                        continue;
                    }
                    if (Diff(av, bv, $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            }
            case JsonValueKind.Array:
            {
                JsonElement[] aa = a.EnumerateArray().ToArray(), ba = b.EnumerateArray().ToArray();
                if (aa.Length != ba.Length)
                {
                    return $"{path} (length {aa.Length} vs {ba.Length})";
                }
                for (int i = 0; i < aa.Length; i++)
                {
                    if (Diff(aa[i], ba[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            }
            default:
                return a.GetRawText() == b.GetRawText() ? null : $"{path} ({a.GetRawText()} vs {b.GetRawText()})";
        }
    }
}
