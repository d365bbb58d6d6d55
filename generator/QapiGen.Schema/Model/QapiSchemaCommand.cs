using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>A command (QEMU's <c>QAPISchemaCommand</c>).</summary>
public sealed class QapiSchemaCommand : QapiSchemaEntity
{
    private readonly string? _argTypeName;
    private readonly string? _retTypeName;

    public QapiSchemaCommand(string name, QapiSourceInfo? info, QapiDoc? doc, QapiSchemaIfCond? ifcond,
        IReadOnlyList<QapiSchemaFeature>? features, string? argTypeName, string? retTypeName,
        bool gen, bool successResponse, bool boxed, bool allowOob, bool allowPreconfig, bool coroutine)
        : base(name, info, doc, ifcond, features)
    {
        _argTypeName = argTypeName;
        _retTypeName = retTypeName;
        Gen = gen;
        SuccessResponse = successResponse;
        Boxed = boxed;
        AllowOob = allowOob;
        AllowPreconfig = allowPreconfig;
        Coroutine = coroutine;
    }

    public override string? Meta => "command";

    /// <summary>The command name (commands always have one).</summary>
    public new string Name => base.Name!;

    /// <summary>The arguments type name as written (or the implicit <c>q_obj_NAME-arg</c>); null without 'data'.</summary>
    public string? ArgTypeName => _argTypeName;

    /// <summary>The return type name (arrays as their <c>…List</c> name); null without 'returns'.</summary>
    public string? RetTypeName => _retTypeName;

    /// <summary>The arguments type; null when the command takes none. Available once checked.</summary>
    public QapiSchemaObjectType? ArgType { get; private set; }

    /// <summary>The return type; null when the command returns an empty object. Available once checked.</summary>
    public QapiSchemaType? RetType { get; private set; }

    /// <summary>False when 'gen': false (the marshalling code is hand-written).</summary>
    public bool Gen { get; }

    /// <summary>False when 'success-response': false (no reply on success).</summary>
    public bool SuccessResponse { get; }

    /// <summary>Whether the arguments are passed as one object rather than member by member.</summary>
    public bool Boxed { get; }

    public bool AllowOob { get; }

    public bool AllowPreconfig { get; }

    public bool Coroutine { get; }

    internal override void Check(QapiSchema schema)
    {
        base.Check(schema);
        ArgType = ArgumentType.Resolve(schema, this, _argTypeName, Boxed);
        if (_retTypeName != null)
        {
            QapiSchemaType retType = schema.ResolveType(_retTypeName, Info, "command's 'returns'");
            RetType = retType;
            if (Info == null || !Info.Pragma.CommandReturnsExceptions.Contains(Name))
            {
                QapiSchemaType typ = retType;
                if (typ is QapiSchemaArrayType array)
                {
                    typ = array.ElementType;
                }
                if (typ is not QapiSchemaObjectType)
                {
                    throw new QapiSemError(Info, $"command's 'returns' cannot take {retType.Describe()}");
                }
            }
        }
    }

    internal override void ConnectDoc(QapiSchema schema, QapiDoc? doc = null)
    {
        base.ConnectDoc(schema, doc);
        doc ??= Doc;
        if (doc != null && ArgType != null && ArgType.IsImplicit)
        {
            ArgType.ConnectDoc(schema, doc);
        }
    }

    public override void Visit(IQapiSchemaVisitor visitor)
    {
        base.Visit(visitor);
        visitor.VisitCommand(Name, Info, IfCond, Features, ArgType, RetType, Gen, SuccessResponse,
            Boxed, AllowOob, AllowPreconfig, Coroutine);
    }
}
