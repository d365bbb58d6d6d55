using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema.Parsing;

/// <summary>One top-level expression of a schema, where it was written and the doc comment before it.</summary>
public sealed class QapiExpression
{
    public QapiExpression(QDict expr, QapiSourceInfo info, QapiDoc? doc = null)
    {
        Expr = expr;
        Info = info;
        Doc = doc;
    }

    public QDict Expr { get; }
    public QapiSourceInfo Info { get; }
    public QapiDoc? Doc { get; }

    public object this[string key] => Expr[key];
    public bool ContainsKey(string key) => Expr.ContainsKey(key);
    public object? Get(string key) => Expr.Get(key);
}
