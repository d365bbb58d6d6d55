using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Cli.CommandLine;
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
    /// <summary>The verb as <c>qapigen</c> runs it: the console; Ctrl-C cancels.</summary>
    public static int Run(string[] args) => VerbRunner.Run(Verbs.Compat, args);

    internal static int Execute(Invocation run)
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
            // Main's own thread waits here; the work itself is asynchronous. Cancellation and crashes
            // are reported by VerbRunner (130, 70), as for every verb.
            return CompareAndReportAsync(run.Args, run.Out, run.Err, Environment.CurrentDirectory, cts.Token).GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>OLD NEW, or NEW alone with --against; --config or --no-config.</summary>
    internal static void Validate(ParsedArguments a)
    {
        bool against = a.Has(Verbs.Against);
        if (against ? a.Positional.Count != 1 : a.Positional.Count != 2)
        {
            throw new UsageException(against ? "--against takes one schema: NEW" : "expected two schemas: OLD NEW (or --against REF NEW)");
        }

        if (a.Has(Verbs.Config) && a.Has(Verbs.NoConfig))
        {
            throw new UsageException("--config and --no-config exclude each other");
        }
    }

    /// <param name="workingDirectory">what relative paths are relative to (the process's working directory for the tool)</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory,
        CancellationToken cancellationToken)
    {
        if (!VerbRunner.TryParse(Verbs.Compat, args, stdout, stderr, out ParsedArguments? parsed, out int exitCode))
        {
            return exitCode;
        }

        try
        {
            return await CompareAndReportAsync(parsed, stdout, stderr, workingDirectory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UsageException or InputException or IOException or UnauthorizedAccessException)
        {
            return VerbRunner.Report(Verbs.Compat, e, stderr);
        }
    }

    private static async Task<int> CompareAndReportAsync(ParsedArguments a, TextWriter stdout, TextWriter stderr, string workingDirectory,
        CancellationToken cancellationToken)
    {
        // The parser admitted only the format's choices.
        ICompatFormat format = CompatFormats.Find(a.Value(Verbs.CompatFormat) ?? "text")!;
        try
        {
            CompatResult result = await CompareAsync(a, workingDirectory, cancellationToken).ConfigureAwait(false);
            format.Write(stdout, result);
            stdout.Flush();
            return result.Fails ? ExitCodes.Failed : ExitCodes.Ok;
        }
        catch (CompatInputException e)
        {
            if (format.WriteError(stdout, e))
            {
                stdout.Flush();
            }
            // Located in a schema: printed as schema errors are; anything else as every verb's input errors.
            stderr.WriteLine(e.Location?.Line != null ? e.Message : "qapigen compat: " + e.Message);
            if (e.Hint != null)
            {
                stderr.WriteLine("hint: " + e.Hint);
            }

            return ExitCodes.Usage;
        }
    }

    private static async Task<CompatResult> CompareAsync(ParsedArguments a, string workingDirectory, CancellationToken cancellationToken)
    {
        var options = new SnapshotOptions { Lenient = a.Has(Verbs.Lenient), IsDefined = a.Defines(Verbs.Define).DeciderOrNull };
        List<string> files = a.Positional.ConvertAll(f => f == "-" ? "/dev/stdin" : f);
        string newFile = files[files.Count - 1];
        string? againstRef = a.Value(Verbs.Against);
        var disk = new DiskSource(workingDirectory);
        OldSide? against = null;
        try
        {
            // The two sides are independent: read and loaded at the same time (the front end is most of the run).
            Task<SchemaSnapshot> newTask = Task.Run(() => SchemaSnapshotLoader.LoadAsync(disk, newFile, options, cancellationToken), cancellationToken);
            SchemaSnapshot old;
            bool oldAreFiles;
            try
            {
                if (againstRef != null)
                {
                    against = await OldSide.ResolveAsync(againstRef, newFile, workingDirectory, cancellationToken).ConfigureAwait(false);
                    old = await SchemaSnapshotLoader.LoadAsync(against.Source, against.MainFile, options, cancellationToken).ConfigureAwait(false);
                    oldAreFiles = against.NamesAreFiles;
                }
                else
                {
                    old = await SchemaSnapshotLoader.LoadAsync(disk, files[0], options, cancellationToken).ConfigureAwait(false);
                    oldAreFiles = true;
                }
            }
            catch
            {
                // The old side's error is the one reported; the new side's load is not left running unobserved.
                await Task.WhenAny(newTask).ConfigureAwait(false);
                throw;
            }
            SchemaSnapshot @new = await newTask.ConfigureAwait(false);

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

            AcceptanceFile? acceptance = await ReadAcceptanceAsync(a, newFile, workingDirectory, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<Acceptance>? unused = null;
            if (acceptance != null)
            {
                findings = acceptance.Apply(findings, out unused);
            }

            return new CompatResult(old.Source, @new.Source, findings, a.Has(Verbs.AllChanges), acceptance?.File, unused, oldAreFiles, true);
        }
        finally
        {
            if (against != null)
            {
                await against.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<AcceptanceFile?> ReadAcceptanceAsync(ParsedArguments a, string newFile, string workingDirectory,
        CancellationToken cancellationToken)
    {
        if (a.Has(Verbs.NoConfig))
        {
            return null;
        }

        string file;
        if (a.Value(Verbs.Config) is { } config)
        {
            file = config;
        }
        else
        {
            string? dir = Path.GetDirectoryName(newFile);
            file = string.IsNullOrEmpty(dir) ? AcceptanceFile.DefaultName : Path.Combine(dir, AcceptanceFile.DefaultName);
            if (!File.Exists(Path.Combine(workingDirectory, file)))
            {
                return null;
            }
        }
        string text;
        try
        {
            text = await File.ReadAllTextAsync(Path.Combine(workingDirectory, file), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CompatInputException($"can't read file '{file}': {QapiGen.Schema.Parsing.SchemaFileSystem.Describe(e)}", new SourceLocation(file, null));
        }
        return AcceptanceFile.Parse(file, text);
    }
}
