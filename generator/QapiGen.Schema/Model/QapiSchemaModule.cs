using System;
using System.Collections.Generic;

namespace QapiGen.Schema.Model;

/// <summary>
/// A schema file and the entities defined in it, in definition order (QEMU's <c>QAPISchemaModule</c>).
/// User modules are named by their path relative to the main schema file's directory; system modules
/// start with <c>./</c>, and <c>./builtin</c> holds the built-in types.
/// </summary>
public sealed class QapiSchemaModule
{
    public const string BuiltinModuleName = "./builtin";

    private readonly List<QapiSchemaEntity> _entities = new();

    public QapiSchemaModule(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<QapiSchemaEntity> Entities => _entities;

    public static bool IsSystemModule(string name) => name.StartsWith("./", StringComparison.Ordinal);

    public static bool IsUserModule(string name) => !IsSystemModule(name);

    public static bool IsBuiltinModule(string name) => name == BuiltinModuleName;

    public bool IsSystem => IsSystemModule(Name);
    public bool IsUser => IsUserModule(Name);
    public bool IsBuiltin => IsBuiltinModule(Name);

    internal void AddEntity(QapiSchemaEntity entity) => _entities.Add(entity);

    /// <summary>Tells the visitor about the module, then visits its entities it wants.</summary>
    public void Visit(IQapiSchemaVisitor visitor)
    {
        visitor.VisitModule(Name);
        foreach (QapiSchemaEntity entity in _entities)
        {
            if (visitor.VisitNeeded(entity))
            {
                entity.Visit(visitor);
            }
        }
    }

    public override string ToString() => Name;
}
