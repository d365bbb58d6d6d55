using System.Collections.Generic;

namespace QapiGen.Schema.Diagnostics;

/// <summary>The pragmas of a schema: they relax or tighten checks for the definitions after them.</summary>
public sealed class QapiPragma
{
    /// <summary>Whether definitions must be documented.</summary>
    public bool DocRequired { get; set; }

    /// <summary>Commands allowed to use names not in lower case.</summary>
    public List<string> CommandNameExceptions { get; } = new();

    /// <summary>Commands allowed to return non-object types.</summary>
    public List<string> CommandReturnsExceptions { get; } = new();

    /// <summary>Types whose member names may break the naming rules.</summary>
    public List<string> MemberNameExceptions { get; } = new();
}
