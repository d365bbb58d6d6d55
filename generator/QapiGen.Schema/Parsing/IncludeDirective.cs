namespace QapiGen.Schema.Parsing;

/// <summary>An include directive: the expression recorded for it, the name as written, and the included file's key.</summary>
internal sealed class IncludeDirective
{
    public IncludeDirective(QapiExpression directive, string include, string fullPath)
    {
        Directive = directive;
        Include = include;
        FullPath = fullPath;
    }

    public QapiExpression Directive { get; }

    /// <summary>The file name as written in the directive (the inclusion loop error names it so).</summary>
    public string Include { get; }

    /// <summary>The included file's key (<see cref="ISchemaFileSystem.GetFullPath"/>).</summary>
    public string FullPath { get; }
}
