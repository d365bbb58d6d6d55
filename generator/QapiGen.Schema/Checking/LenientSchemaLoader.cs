using System;
using System.IO;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Checking;

/// <summary>
/// The front end with its options honoured end to end: parse (doc problems possibly lenient),
/// rewrite the older language when <see cref="QapiSchemaOptions.Lenient"/> is set, check the
/// expressions of the current language, build and check the model. Without Lenient this is
/// exactly the strict pipeline.
/// </summary>
public static class LenientSchemaLoader
{
    /// <exception cref="QapiError">the first error, located.</exception>
    public static QapiSchema Load(string fileName, QapiSchemaOptions options, ISchemaFileSystem? fileSystem = null)
    {
        var fs = fileSystem ?? SchemaFileSystem.Disk;
        QapiSchemaParser parser;
        try
        {
            parser = QapiSchemaParser.Parse(fileName, fs, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QapiError(null, $"can't read schema file '{fileName}': {SchemaFileSystem.Describe(e)}");
        }
        if (!options.Lenient)
            return QapiSchema.Build(fileName, ExprChecker.CheckExprs(parser.Exprs, options), parser.Docs, fs, options);

        var rewritten = LegacyNormalizer.Normalize(parser.Exprs);
        ExprChecker.CheckExprs(rewritten.ToCheck, options);
        return QapiSchema.Build(fileName, rewritten.All, parser.Docs, fs, options);
    }
}
