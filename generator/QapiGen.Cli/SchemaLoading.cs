using System.IO;
using QapiGen.Schema;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Cli;

/// <summary>Loads a schema for a verb and turns every failure into one printable, located message.</summary>
public static class SchemaLoading
{
    public sealed class Result
    {
        public QapiSchema? Schema { get; init; }
        /// <summary>The error exactly as the reference front end prints it, when loading failed.</summary>
        public string? Error { get; init; }
        public QapiSchemaOptions Options { get; init; } = QapiSchemaOptions.Strict;
    }

    public static Result Load(string fileName, QapiSchemaOptions? options = null, ISchemaFileSystem? fs = null)
    {
        options ??= QapiSchemaOptions.Strict;
        try
        {
            return new Result { Schema = QapiSchema.Load(fileName, fs, options), Options = options };
        }
        catch (QapiError e)
        {
            return new Result { Error = e.ToString(), Options = options };
        }
    }

    /// <summary>
    /// A verb's schema: the warnings of a lenient load printed, a schema error printed as the reference
    /// prints it and null returned (the verb's answer: exit 1). <paramref name="warnings"/>: false for a
    /// schema read only to compare with (a baseline), whose doc-comment warnings are not the user's business.
    /// </summary>
    /// <exception cref="InputException">the main file cannot be read (exit 2, as in every verb).</exception>
    public static QapiSchema? LoadOrReport(string fileName, QapiSchemaOptions options, TextWriter stderr, bool warnings = true)
    {
        try
        {
            var schema = QapiSchema.Load(fileName, null, options);
            if (warnings)
            {
                PrintWarnings(options, stderr);
            }

            return schema;
        }
        catch (QapiFileError e)
        {
            throw new InputException(e.Message);
        }
        catch (QapiError e)
        {
            if (warnings)
            {
                PrintWarnings(options, stderr);
            }

            stderr.WriteLine(e.ToString());
            return null;
        }
    }

    /// <summary>The front end's options for the <c>--lenient-docs</c> and <c>--lenient</c> switches of a verb.</summary>
    internal static QapiSchemaOptions Options(CommandLine.ParsedArguments a)
        => new()
        {
            LenientDocs = a.Has(Verbs.LenientDocs),
            Lenient = a.Has(Verbs.Lenient),
            StageEnded = StageTimings.Enabled ? StageTimings.Mark : null,
        };

    /// <summary>Prints the warnings a lenient load collected, located like errors.</summary>
    public static void PrintWarnings(QapiSchemaOptions options, TextWriter w)
    {
        foreach (QapiError warning in options.Warnings)
        {
            w.WriteLine("warning: " + warning);
        }
    }
}
