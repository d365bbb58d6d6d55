using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.Docs.Tests;

/// <summary>
/// Debian's headless Chromium as a process: screenshots and the DOM after scripts ran. Each run gets
/// its own profile directory, so runs in parallel do not share (or lock) one.
/// </summary>
public static class Chromium
{
    public static string? Executable { get; } = Find();

    private static string? Find()
    {
        foreach (string? p in new[] { Environment.GetEnvironmentVariable("QAPIGEN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrEmpty(p) && File.Exists(p))
            {
                return p;
            }
        }
        return null;
    }

    /// <summary>Takes a screenshot of <paramref name="url"/> at the window size given.</summary>
    public static async Task<PngImage> ScreenshotAsync(string url, int width, int height, CancellationToken ct)
    {
        string png = Path.Combine(Path.GetTempPath(), "qapigen-shot-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            await RunAsync(ct, $"--window-size={width},{height}", "--hide-scrollbars", "--screenshot=" + png, url);
            Assert.True(File.Exists(png), "chromium wrote no screenshot");
            return PngImage.Read(png);
        }
        finally
        {
            File.Delete(png);
        }
    }

    /// <summary>The serialized DOM of <paramref name="url"/> once its scripts ran.</summary>
    public static Task<string> DumpDomAsync(string url, CancellationToken ct) => RunAsync(ct, "--dump-dom", url);

    private static async Task<string> RunAsync(CancellationToken ct, params string[] args)
    {
        string profile = Directory.CreateTempSubdirectory("qapigen-chromium-").FullName;
        try
        {
            var psi = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("no chromium"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // No sandbox: CI runs as root, where Chromium refuses to start sandboxed.
            foreach (string? a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile })
            {
                psi.ArgumentList.Add(a);
            }

            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi)!;
            Task<string> stdout = p.StandardOutput.ReadToEndAsync(ct);
            Task<string> stderr = p.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // Generous: a loaded 2-core machine starts Chromium slowly.
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                throw;
            }
            string output = await stdout;
            Assert.True(p.ExitCode == 0, $"chromium exited with {p.ExitCode}: {await stderr}");
            return output;
        }
        finally
        {
            Directory.Delete(profile, true);
        }
    }
}

/// <summary>A fact that needs Chromium and the QEMU schemas in ../shared; skipped with the reason otherwise.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable == null)
        {
            Skip = "chromium is not installed";
        }
        else if (RepoPaths.SharedDirectory("qemu-schemas/v8.2.0") == null)
        {
            Skip = "reference data ../shared/qemu-schemas is absent";
        }
    }
}
