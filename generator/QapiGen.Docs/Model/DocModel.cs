using System.Collections.Generic;

namespace QapiGen.Docs.Model;

/// <summary>
/// A doc comment, split as QEMU's manual uses it. The text is the comment's, unformatted (rST-like:
/// <c>@name</c> references, <c>``code``</c>, <c>::</c> literal blocks); templates format it with
/// <c>doc_html</c> / <c>doc_md</c>.
/// </summary>
public sealed class DocModel
{
    /// <summary>The text before the member descriptions.</summary>
    public string Body { get; init; } = "";
    /// <summary>Every section after the members, in order.</summary>
    public List<DocSectionModel> Sections { get; init; } = new();
    /// <summary>The text of the <c>Since</c> section; empty when absent.</summary>
    public string Since { get; init; } = "";
    /// <summary>The text of the <c>Returns</c> section; empty when absent.</summary>
    public string Returns { get; init; } = "";
    /// <summary>The text of the <c>Errors</c> section (newer QEMU); empty when absent.</summary>
    public string Errors { get; init; } = "";
    /// <summary>The <c>Note</c> / <c>Notes</c> sections.</summary>
    public List<DocSectionModel> Notes { get; init; } = new();
    /// <summary>The <c>Example</c> / <c>Examples</c> sections.</summary>
    public List<DocSectionModel> Examples { get; init; } = new();
    /// <summary>The doc comment's first line, as a source position.</summary>
    public SourceModel Source { get; init; } = new();
}
