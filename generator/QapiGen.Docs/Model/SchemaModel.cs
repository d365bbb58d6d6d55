using System.Collections.Generic;

namespace QapiGen.Docs.Model;

/// <summary>
/// The root every template sees as <c>schema</c>: plain objects built once from the checked schema.
/// Implicit types (a command's inline arguments, arrays) are folded into their users.
/// </summary>
public sealed class SchemaModel
{
    /// <summary>The main schema file as given.</summary>
    public string File { get; init; } = "";
    /// <summary>A title for the manual: <c>FILE reference</c> (templates may well make their own).</summary>
    public string Title { get; init; } = "";
    /// <summary>The modules with definitions or documentation, main first, then in include order; the built-in types last.</summary>
    public List<ModuleModel> Modules { get; init; } = new();
    /// <summary>Every documented definition, in definition order.</summary>
    public List<EntityModel> Entities { get; init; } = new();
    public List<EntityModel> Commands { get; init; } = new();
    public List<EntityModel> Events { get; init; } = new();
    public List<EntityModel> Types { get; init; } = new();
    /// <summary>The <c>-D</c> symbols given (empty: every condition counts as enabled).</summary>
    public List<string> Defines { get; init; } = new();
}
