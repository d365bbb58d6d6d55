using System;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Compat.Inputs;
using QapiGen.Schema;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Model;

namespace QapiGen.Compat;

/// <summary>How a side is turned into what clients observe.</summary>
public sealed class SnapshotOptions
{
    /// <summary>Accept QEMU's older schema language (simple unions, string conditions, old pragma names).</summary>
    public bool Lenient { get; init; }

    /// <summary>
    /// Which configuration symbols are defined, deciding <c>if</c> conditions; null keeps every
    /// conditional definition, i.e. compares everything some build could offer.
    /// </summary>
    public Func<string, bool>? IsDefined { get; init; }
}

/// <summary>
/// Loads one side of a comparison: a schema's main file (includes followed) or a saved
/// <c>query-qmp-schema</c> reply. Which one is decided by the text: JSON starts with '[' or with
/// '{' followed by '"'; schema text uses single quotes and '#' comments.
/// </summary>
public static class SchemaSnapshotLoader
{
    /// <summary>Reads the side's files once each (<see cref="SchemaFileSet"/>) and loads them.</summary>
    /// <exception cref="CompatInputException">a file cannot be read, or the text is neither a valid schema nor a reply.</exception>
    public static async Task<SchemaSnapshot> LoadAsync(SchemaSource source, string mainFile, SnapshotOptions options,
        CancellationToken cancellationToken)
    {
        SchemaFileSet files = await SchemaFileSet.ReadAsync(source, mainFile, cancellationToken).ConfigureAwait(false);
        return Load(files, options);
    }

    /// <summary>A file on disk, read on the caller's thread (tests, synchronous callers); see <see cref="LoadAsync"/>.</summary>
    public static SchemaSnapshot Load(string path, bool lenient)
    {
        // The synchronous source completes every step before returning, so nothing is waited on here.
        Task<SchemaSnapshot> task = LoadAsync(new DiskSource(synchronous: true), path, new SnapshotOptions { Lenient = lenient }, CancellationToken.None);
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("a synchronous read did not complete synchronously");
        }

        return task.GetAwaiter().GetResult();
    }

    /// <exception cref="CompatInputException">the text is neither a valid schema nor a reply, or describes nothing.</exception>
    public static SchemaSnapshot Load(SchemaFileSet files, SnapshotOptions options)
    {
        string text = files.MainText;
        string name = files.MainFile;
        if (IsBlank(text))
        {
            throw new CompatInputException($"{name}: empty file: neither a schema nor a query-qmp-schema reply", new SourceLocation(name, null), "empty file");
        }

        SchemaSnapshot snapshot;
        if (LooksLikeJson(text))
        {
            try
            {
                snapshot = new SchemaSnapshot(name, IntrospectionReader.Read(text, name), fromSchema: false, files);
            }
            catch (CompatLoadException e)
            {
                throw new CompatInputException(e.Message, new SourceLocation(name, null));
            }
        }
        else
        {
            QapiSchema schema = LoadSchema(files, options.Lenient);
            // Without symbols, conditions are kept: everything any build could offer is compared.
            Func<QapiSchemaIfCond, bool>? include = options.IsDefined == null ? null : SchemaInfoBuilder.Defined(options.IsDefined);
            snapshot = new SchemaSnapshot(name, SchemaInfoBuilder.Build(schema, include), fromSchema: true, files);
        }
        if (snapshot.Commands.Count == 0 && snapshot.Events.Count == 0)
        {
            // Compared with nothing, every command of the other side would be "added" (or "removed"):
            // an empty side is almost always a mistake (a wrong path, a truncated file), never a pass.
            throw new CompatInputException($"{name}: defines no command and no event: nothing a client could observe",
                new SourceLocation(name, null), "defines no command and no event");
        }
        return snapshot;
    }

    private static QapiSchema LoadSchema(SchemaFileSet files, bool lenient)
    {
        try
        {
            // Doc comments are not part of what clients observe: their problems never stop a comparison.
            return QapiSchema.Load(files.MainFile, files, new QapiSchemaOptions { Lenient = lenient, LenientDocs = true });
        }
        catch (QapiError e)
        {
            string? hint = null;
            if (!lenient && LoadsWhenLenient(files, e))
            {
                hint = "this is QEMU's older schema language (simple unions, string conditions or old pragma names): compare with --lenient";
            }
            else if (e.Detail.StartsWith("can't read include file", StringComparison.Ordinal)
                     && files.MainFile.StartsWith("/dev/", StringComparison.Ordinal))
            {
                hint = "a schema read from a pipe has no directory to include files from: compare with --against git:REV (or a directory or archive)";
            }

            SourceLocation? location = e.Info == null ? null : new SourceLocation(e.Info.FileName, e.Info.Line, e.Column);
            throw new CompatInputException(e.ToString(), location, e.Detail, hint);
        }
    }

    /// <summary>
    /// Whether an error of the strict language comes from an older-language construct: the lenient
    /// front end gets past it (loads, or stops at another error). Only then is --lenient suggested.
    /// </summary>
    private static bool LoadsWhenLenient(SchemaFileSet files, QapiError strictError)
    {
        try
        {
            QapiSchema.Load(files.MainFile, files, new QapiSchemaOptions { Lenient = true, LenientDocs = true });
            return true;
        }
        catch (QapiError e)
        {
            return e.ToString() != strictError.ToString();
        }
#pragma warning disable CA1031 // the lenient reading is only a probe for a hint: whatever it does, the strict error stands
        catch (Exception)
        {
            return false;
        }
#pragma warning restore CA1031
    }

    private static bool IsBlank(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }
        return true;
    }

    public static bool LooksLikeJson(string text)
    {
        int i = SkipSpace(text, 0);
        if (i < text.Length && text[i] == '[')
        {
            return true;
        }

        if (i < text.Length && text[i] == '{')
        {
            int j = SkipSpace(text, i + 1);
            return j < text.Length && (text[j] == '"' || text[j] == '}');
        }
        return false;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }
}
