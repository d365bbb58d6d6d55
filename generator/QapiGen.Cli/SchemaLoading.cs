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

    /// <summary>Prints the warnings a lenient load collected, located like errors.</summary>
    public static void PrintWarnings(Result result, TextWriter w)
    {
        foreach (var warning in result.Options.Warnings)
            w.WriteLine("warning: " + warning);
    }
}
