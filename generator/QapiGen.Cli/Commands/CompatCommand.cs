using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Compat;
using QapiGen.Compat.Inputs;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen compat OLD NEW</c> / <c>qapigen compat --against REF NEW</c>: what an existing QMP
/// client would notice when the server moves from OLD to NEW, as a CI gate. Exit 0 when nothing
/// breaks (or every break is accepted), 1 when something breaks, 2 for usage and input errors
/// (a side that cannot be read or loaded is never taken as an empty schema).
/// </summary>
public static class CompatCommand
{
    public const string Usage = "usage: qapigen compat OLD NEW [options]\n"
        + "       qapigen compat --against REF NEW [options]\n"
        + "  OLD, NEW         a schema's main file, or a saved query-qmp-schema reply (JSON); '-' reads standard input\n"
        + "  --against REF    the old side from git:REV[:PATH], a directory DIR[:PATH] or a tar archive ARCHIVE[:PATH]\n"
        + "                   (PATH inside it; by default NEW's path)\n"
        + "  --format F       text (default), json, github-actions, junit, sarif\n"
        + "  --config FILE    accepted breaks (default: " + AcceptanceFile.DefaultName + " beside NEW, if present)\n"
        + "  --no-config      ignore " + AcceptanceFile.DefaultName + "\n"
        + "  --all            also list compatible changes\n"
        + "  -D SYMBOL        decide 'if' conditions with SYMBOL defined (repeatable; -D ALL: every condition true);\n"
        + "                   without -D every conditional definition is compared\n"
        + "  --lenient        accept QEMU's older schema language (v5.2, v6.0)\n"
        + "exit status: 0 nothing breaks (or all accepted), 1 something breaks, 2 usage or input error";

    /// <summary>Exit status for a failure of the tool itself (a bug), never for a schema.</summary>
    public const int InternalError = 70;

    /// <summary>The verb as <c>qapigen</c> runs it: the console, Ctrl-C cancels, a crash is reported as a bug.</summary>
    public static int Run(string[] args)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            // Main's own thread waits here; the work itself is asynchronous.
            return RunAsync(args, Console.Out, Console.Error, Environment.CurrentDirectory, cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("qapigen compat: cancelled");
            return 130;
        }
#pragma warning disable CA1031 // the last resort: a crash must not pass for a verdict on the schemas
        catch (Exception e)
        {
            Console.Error.WriteLine($"qapigen compat: internal error (a bug in qapigen, please report it): {e}");
            return InternalError;
        }
#pragma warning restore CA1031
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <param name="workingDirectory">what relative paths are relative to (the process's working directory for the tool)</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory,
        CancellationToken cancellationToken)
    {
        CompatArguments a;
        try
        {
            a = CompatArguments.Parse(args);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"qapigen compat: {e.Message}");
            stderr.WriteLine(Usage);
            return ExitCodes.Usage;
        }
        if (a.Help)
        {
            stdout.WriteLine(Usage);
            return ExitCodes.Ok;
        }
        var format = CompatFormats.Find(a.Format);
        if (format == null)
        {
            stderr.WriteLine($"qapigen compat: unknown format '{a.Format}' (text, json, github-actions, junit, sarif)");
            stderr.WriteLine(Usage);
            return ExitCodes.Usage;
        }

        try
        {
            var result = await CompareAsync(a, workingDirectory, cancellationToken).ConfigureAwait(false);
            format.Write(stdout, result);
            stdout.Flush();
            return result.Fails ? ExitCodes.Failed : ExitCodes.Ok;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"qapigen compat: {e.Message}");
            stderr.WriteLine(Usage);
            return ExitCodes.Usage;
        }
        catch (CompatInputException e)
        {
            if (format.WriteError(stdout, e))
                stdout.Flush();
            stderr.WriteLine(e.Message);
            if (e.Hint != null)
                stderr.WriteLine("hint: " + e.Hint);
            return ExitCodes.Usage;
        }
    }

    private static async Task<CompatResult> CompareAsync(CompatArguments a, string workingDirectory, CancellationToken cancellationToken)
    {
        var options = new SnapshotOptions { Lenient = a.Lenient, IsDefined = a.IsDefined };
        var newFile = a.Files[a.Files.Count - 1];
        var disk = new DiskSource(workingDirectory);
        OldSide? against = null;
        try
        {
            // The two sides are independent: read and loaded at the same time (the front end is most of the run).
            var newTask = Task.Run(() => SchemaSnapshotLoader.LoadAsync(disk, newFile, options, cancellationToken), cancellationToken);
            SchemaSnapshot old;
            bool oldAreFiles;
            try
            {
                if (a.Against != null)
                {
                    against = await OldSide.ResolveAsync(a.Against, newFile, workingDirectory, cancellationToken).ConfigureAwait(false);
                    old = await SchemaSnapshotLoader.LoadAsync(against.Source, against.MainFile, options, cancellationToken).ConfigureAwait(false);
                    oldAreFiles = against.NamesAreFiles;
                }
                else
                {
                    old = await SchemaSnapshotLoader.LoadAsync(disk, a.Files[0], options, cancellationToken).ConfigureAwait(false);
                    oldAreFiles = true;
                }
            }
            catch
            {
                // The old side's error is the one reported; the new side's load is not left running unobserved.
                await Task.WhenAny(newTask).ConfigureAwait(false);
                throw;
            }
            var @new = await newTask.ConfigureAwait(false);

            IReadOnlyList<Finding> findings;
            try
            {
                findings = CompatChecker.Compare(old, @new);
            }
            catch (CompatLoadException e)
            {
                // A reply that references a type it does not define.
                throw new CompatInputException(e.Message);
            }
            findings = LocationRefiner.Refine(findings, old, @new);

            var acceptance = await ReadAcceptanceAsync(a, newFile, workingDirectory, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<Acceptance>? unused = null;
            if (acceptance != null)
                findings = acceptance.Apply(findings, out unused);
            return new CompatResult(old.Source, @new.Source, findings, a.All, acceptance?.File, unused, oldAreFiles, true);
        }
        finally
        {
            if (against != null)
                await against.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<AcceptanceFile?> ReadAcceptanceAsync(CompatArguments a, string newFile, string workingDirectory,
        CancellationToken cancellationToken)
    {
        if (a.NoConfig)
            return null;
        string file;
        if (a.Config != null)
        {
            file = a.Config;
        }
        else
        {
            var dir = Path.GetDirectoryName(newFile);
            file = string.IsNullOrEmpty(dir) ? AcceptanceFile.DefaultName : Path.Combine(dir, AcceptanceFile.DefaultName);
            if (!File.Exists(Path.Combine(workingDirectory, file)))
                return null;
        }
        string text;
        try
        {
            text = await File.ReadAllTextAsync(Path.Combine(workingDirectory, file), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CompatInputException($"{file}: {QapiGen.Schema.Parsing.SchemaFileSystem.Describe(e)}", new SourceLocation(file, null));
        }
        return AcceptanceFile.Parse(file, text);
    }
}
