using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Model;

/// <summary>
/// Walks a checked schema module by module, entity by entity in definition order (QEMU's
/// <c>QAPISchemaVisitor</c>). Derive from <see cref="QapiSchemaVisitor"/> to override only what you need.
/// </summary>
public interface IQapiSchemaVisitor
{
    void VisitBegin(QapiSchema schema);
    void VisitEnd();
    void VisitModule(string name);

    /// <summary>Whether to visit <paramref name="entity"/> at all.</summary>
    bool VisitNeeded(QapiSchemaEntity entity);

    void VisitInclude(string name, QapiSourceInfo info);
    void VisitBuiltinType(string name, QapiSourceInfo? info, string jsonType);

    void VisitEnumType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaEnumMember> members, string? prefix);

    void VisitArrayType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond, QapiSchemaType elementType);

    /// <summary>An object type with its base and its local members.</summary>
    void VisitObjectType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? @base,
        IReadOnlyList<QapiSchemaObjectTypeMember> members, QapiSchemaVariants? variants);

    /// <summary>The same object type, flattened: all members including the base's.</summary>
    void VisitObjectTypeFlat(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaObjectTypeMember> members,
        QapiSchemaVariants? variants);

    void VisitAlternateType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaVariants variants);

    void VisitCommand(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, QapiSchemaType? retType,
        bool gen, bool successResponse, bool boxed, bool allowOob, bool allowPreconfig, bool coroutine);

    void VisitEvent(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, bool boxed);
}

/// <summary>A visitor that does nothing; override the methods of interest.</summary>
public abstract class QapiSchemaVisitor : IQapiSchemaVisitor
{
    public virtual void VisitBegin(QapiSchema schema) { }
    public virtual void VisitEnd() { }
    public virtual void VisitModule(string name) { }
    public virtual bool VisitNeeded(QapiSchemaEntity entity) => true;
    public virtual void VisitInclude(string name, QapiSourceInfo info) { }
    public virtual void VisitBuiltinType(string name, QapiSourceInfo? info, string jsonType) { }

    public virtual void VisitEnumType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaEnumMember> members, string? prefix) { }

    public virtual void VisitArrayType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond, QapiSchemaType elementType) { }

    public virtual void VisitObjectType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? @base,
        IReadOnlyList<QapiSchemaObjectTypeMember> members, QapiSchemaVariants? variants) { }

    public virtual void VisitObjectTypeFlat(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaObjectTypeMember> members,
        QapiSchemaVariants? variants) { }

    public virtual void VisitAlternateType(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaVariants variants) { }

    public virtual void VisitCommand(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, QapiSchemaType? retType,
        bool gen, bool successResponse, bool boxed, bool allowOob, bool allowPreconfig, bool coroutine) { }

    public virtual void VisitEvent(string name, QapiSourceInfo? info, QapiSchemaIfCond ifcond,
        IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, bool boxed) { }
}
