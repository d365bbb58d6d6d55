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
    /// The shared front of the verbs that take one schema and <c>--lenient-docs</c>: loads it, prints
    /// warnings and the error, and returns null (with the exit code) when there is no schema.
    /// </summary>
    public static QapiSchema? LoadForVerb(string[] args, out int exitCode)
    {
        var a = new Arguments(args, new[] { "--lenient-docs" });
        var result = Load(a.Single("SCHEMA"), new QapiSchemaOptions { LenientDocs = a.Has("--lenient-docs") });
        PrintWarnings(result, System.Console.Error);
        exitCode = result.Error == null ? ExitCodes.Ok : ExitCodes.Failed;
        if (result.Error != null)
            System.Console.Error.WriteLine(result.Error);
        return result.Schema;
    }

    /// <summary>Prints the warnings a lenient load collected, located like errors.</summary>
    public static void PrintWarnings(Result result, TextWriter w)
    {
        foreach (var warning in result.Options.Warnings)
            w.WriteLine("warning: " + warning);
    }
}
