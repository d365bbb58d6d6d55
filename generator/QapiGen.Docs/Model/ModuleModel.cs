using System.Collections.Generic;

namespace QapiGen.Docs.Model;

/// <summary>A schema file (QEMU module): its free-form documentation and the definitions written in it.</summary>
public sealed class ModuleModel
{
    /// <summary>The module name: the path relative to the main schema's directory; <c>builtin</c> for the built-in types.</summary>
    public string Name { get; init; } = "";
    /// <summary>The output page (without extension), e.g. <c>block-core</c>.</summary>
    public string Page { get; init; } = "";
    /// <summary>The first heading of its free-form documentation (<c>= Block core (VM unrelated)</c>), else the name.</summary>
    public string Title { get; init; } = "";
    /// <summary>Whether it is the main schema file.</summary>
    public bool IsMain { get; init; }
    public bool IsBuiltin { get; init; }
    /// <summary>Free-form doc comments (headings and prose between definitions), in order.</summary>
    public List<string> Freeform { get; init; } = new();
    /// <summary>The modules it includes.</summary>
    public List<string> Includes { get; init; } = new();
    /// <summary>Its documented definitions, in definition order.</summary>
    public List<EntityModel> Entities { get; init; } = new();
    public List<EntityModel> Commands { get; init; } = new();
    public List<EntityModel> Events { get; init; } = new();
    public List<EntityModel> Types { get; init; } = new();
}
