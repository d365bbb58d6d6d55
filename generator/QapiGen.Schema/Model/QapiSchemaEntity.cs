using System;
using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Naming;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>
/// Anything the schema defines, explicitly or implicitly (QEMU's <c>QAPISchemaEntity</c>): types,
/// commands, events, and the include directives (which have no name).
/// </summary>
public abstract class QapiSchemaEntity
{
    private readonly QapiSchemaIfCond _ifcond;
    private QapiSchemaModule? _module;

    protected QapiSchemaEntity(string? name, QapiSourceInfo? info, QapiDoc? doc,
        QapiSchemaIfCond? ifcond = null, IReadOnlyList<QapiSchemaFeature>? features = null)
    {
        Features = features ?? Array.Empty<QapiSchemaFeature>();
        if (name != null)
        {
            foreach (QapiSchemaFeature f in Features)
            {
                f.SetDefinedIn(name);
            }
        }
        Name = name;
        Info = info;
        Doc = doc;
        _ifcond = ifcond ?? QapiSchemaIfCond.None;
    }

    /// <summary>The name; null for include directives.</summary>
    public string? Name { get; }

    /// <summary>
    /// For explicit definitions, where they were written. For built-ins (and their arrays), null.
    /// For implicit types, the place that triggered the implicit definition.
    /// </summary>
    public QapiSourceInfo? Info { get; }

    /// <summary>The doc comment of the definition, if any.</summary>
    public QapiDoc? Doc { get; }

    public IReadOnlyList<QapiSchemaFeature> Features { get; }

    /// <summary>The kind, as error messages name it (<c>enum</c>, <c>struct</c>, <c>union</c>, <c>command</c>, ...).</summary>
    public abstract string? Meta { get; }

    /// <summary>Whether <see cref="QapiSchema.Check"/> has processed the entity.</summary>
    public bool IsChecked { get; private protected set; }

    /// <summary>The condition; for array types, their element type's.</summary>
    public virtual QapiSchemaIfCond IfCond => _ifcond;

    /// <summary>The module (schema file) the entity belongs to; set once the schema is checked.</summary>
    public QapiSchemaModule Module => _module ?? throw new InvalidOperationException("module not set yet");

    /// <summary>Whether the front end created the entity rather than the schema defining it (<c>is_implicit()</c>).</summary>
    public virtual bool IsImplicit => Info == null;

    /// <summary>Whether the entity has a feature <c>deprecated</c>.</summary>
    public bool IsDeprecated => HasFeature("deprecated");

    /// <summary>Whether the entity has a feature <c>unstable</c>.</summary>
    public bool IsUnstable => HasFeature("unstable");

    public bool HasFeature(string name)
    {
        foreach (QapiSchemaFeature f in Features)
        {
            if (f.Name == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The C identifier of the name.</summary>
    public virtual string CName => QapiNaming.CName(Name ?? throw new InvalidOperationException("entity has no name"));

    internal virtual void Check(QapiSchema schema)
    {
        if (IsChecked)
        {
            throw new InvalidOperationException($"{this} checked twice");
        }

        // Most definitions have no features: no clash table for them.
        if (Features.Count > 0)
        {
            var seen = new OrderedMembers();
            foreach (QapiSchemaFeature f in Features)
            {
                f.CheckClash(Info, seen);
            }
        }

        IsChecked = true;
    }

    internal virtual void ConnectDoc(QapiSchema schema, QapiDoc? doc = null)
    {
        doc ??= Doc;
        if (doc != null)
        {
            foreach (QapiSchemaFeature f in Features)
            {
                schema.DocOp((doc, f), static s => s.doc.ConnectFeature(s.f.Name, s.f.Info));
            }
        }
    }

    internal void CheckDoc(QapiSchema schema)
    {
        if (Doc != null)
        {
            schema.DocOp(Doc, static doc => doc.Check());
        }
    }

    private protected void SetModuleFrom(QapiSchema schema, QapiSourceInfo? info)
    {
        if (!IsChecked)
        {
            throw new InvalidOperationException($"{this} is not checked");
        }

        string fname = info != null ? info.FileName : QapiSchemaModule.BuiltinModuleName;
        _module = schema.ModuleByFileName(fname);
        _module.AddEntity(this);
    }

    internal virtual void SetModule(QapiSchema schema) => SetModuleFrom(schema, Info);

    /// <summary>Calls the visitor method for this kind of entity.</summary>
    public virtual void Visit(IQapiSchemaVisitor visitor)
    {
        if (!IsChecked)
        {
            throw new InvalidOperationException($"{this} is not checked");
        }
    }

    /// <summary>The entity as error messages describe it, e.g. <c>command 'foo'</c>.</summary>
    public virtual string Describe() => $"{Meta} '{Name}'";

    public override string ToString() => $"<{GetType().Name}{(Name != null ? " " + Name : "")}>";
}
