using QapiGen.Schema.Model;
using System;
using System.IO;
using QapiGen.Schema;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Introspection;
using QapiGen.Schema.Parsing;

namespace QapiGen.Compat;

/// <summary>
/// Loads one side of a comparison: a schema's main file (includes followed) or a saved
/// <c>query-qmp-schema</c> reply. Which one is decided by the text: JSON starts with '[' or with
/// '{' followed by '"'; schema text uses single quotes and '#' comments.
/// </summary>
public static class SchemaSnapshotLoader
{
    /// <exception cref="CompatLoadException">unreadable file or malformed reply.</exception>
    /// <exception cref="Schema.Diagnostics.QapiError">the schema is invalid.</exception>
    public static SchemaSnapshot Load(string path, bool lenient)
    {
        string text;
        try
        {
            // Bounded, regular files only: the same guarded read as the schema files it may include.
            text = SchemaFileSystem.ReadSchemaText(SchemaFileSystem.Disk, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CompatLoadException($"{path}: {e.Message}", e);
        }
        if (LooksLikeJson(text))
            return new SchemaSnapshot(path, IntrospectionReader.Read(text, path), fromSchema: false);

        // Doc comments are not part of what clients observe: their problems never stop a comparison.
        var options = new QapiSchemaOptions { Lenient = lenient, LenientDocs = true };
        var schema = QapiSchema.Load(path, null, options);
        // Conditions are kept, i.e. everything any build could offer is compared.
        return new SchemaSnapshot(path, SchemaInfoBuilder.Build(schema), fromSchema: true);
    }

    public static bool LooksLikeJson(string text)
    {
        var i = SkipSpace(text, 0);
        if (i < text.Length && text[i] == '[')
            return true;
        if (i < text.Length && text[i] == '{')
        {
            var j = SkipSpace(text, i + 1);
            return j < text.Length && (text[j] == '"' || text[j] == '}');
        }
        return false;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
            i++;
        return i;
    }
}
