using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Model;

/// <summary>An include directive, recorded where it was written (QEMU's <c>QAPISchemaInclude</c>).</summary>
public sealed class QapiSchemaInclude : QapiSchemaEntity
{
    public QapiSchemaInclude(QapiSchemaModule subModule, QapiSourceInfo info)
        : base(null, info, null)
    {
        SubModule = subModule;
    }

    /// <summary>The module included.</summary>
    public QapiSchemaModule SubModule { get; }

    public override string? Meta => null;

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitInclude(SubModule.Name, Info!);
    }
}
