using System.Collections.Generic;

namespace QapiGen.Docs.Model;

/// <summary>The branches of a union (selected by a tag member) or an alternate (selected by JSON type).</summary>
public sealed class VariantsModel
{
    /// <summary>The tag member's name for unions; empty for alternates.</summary>
    public string Tag { get; init; } = "";
    public List<MemberModel> Branches { get; init; } = new();
}
