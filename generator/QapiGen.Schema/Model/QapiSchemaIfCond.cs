using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Model;

/// <summary>The operator of a node of an 'if' condition.</summary>
public enum QapiIfKind
{
    /// <summary>A configuration symbol, e.g. <c>'CONFIG_FOO'</c>.</summary>
    Name,
    /// <summary><c>{'all': [...]}</c>: every operand holds.</summary>
    All,
    /// <summary><c>{'any': [...]}</c>: at least one operand holds.</summary>
    Any,
    /// <summary><c>{'not': ...}</c>: the operand does not hold.</summary>
    Not,
}

/// <summary>One node of an 'if' condition: a symbol, or all / any / not of sub-conditions.</summary>
public sealed class QapiIfExpr
{
    private QapiIfExpr(QapiIfKind kind, string? name, IReadOnlyList<QapiIfExpr> operands)
    {
        Kind = kind;
        Name = name;
        Operands = operands;
    }

    public QapiIfKind Kind { get; }

    /// <summary>The symbol when <see cref="Kind"/> is <see cref="QapiIfKind.Name"/>; otherwise null.</summary>
    public string? Name { get; }

    /// <summary>The operands of all / any, or the single operand of not; empty for a symbol.</summary>
    public IReadOnlyList<QapiIfExpr> Operands { get; }

    public static QapiIfExpr Symbol(string name) => new(QapiIfKind.Name, name, Array.Empty<QapiIfExpr>());
    public static QapiIfExpr All(params QapiIfExpr[] operands) => new(QapiIfKind.All, null, operands);
    public static QapiIfExpr Any(params QapiIfExpr[] operands) => new(QapiIfKind.Any, null, operands);
    public static QapiIfExpr Not(QapiIfExpr operand) => new(QapiIfKind.Not, null, new[] { operand });

    /// <summary>Builds the tree from the checked schema value (a string or a one-key object).</summary>
    public static QapiIfExpr FromSchemaValue(object value)
    {
        switch (value)
        {
            case string s:
                return Symbol(s);
            case QDict d when d.Count == 1:
                KeyValuePair<string, object> kv = d.First();
                switch (kv.Key)
                {
                    case "not":
                        return Not(FromSchemaValue(kv.Value));
                    case "all":
                        return All(((List<object>)kv.Value).Select(FromSchemaValue).ToArray());
                    case "any":
                        return Any(((List<object>)kv.Value).Select(FromSchemaValue).ToArray());
                }
                break;
        }
        throw new ArgumentException("not a checked 'if' condition", nameof(value));
    }

    /// <summary>Evaluates the condition given which symbols are defined.</summary>
    public bool Evaluate(Func<string, bool> isDefined) => Kind switch
    {
        QapiIfKind.Name => isDefined(Name!),
        QapiIfKind.Not => !Operands[0].Evaluate(isDefined),
        QapiIfKind.All => Operands.All(o => o.Evaluate(isDefined)),
        _ => Operands.Any(o => o.Evaluate(isDefined)),
    };

    /// <summary>Every symbol the condition mentions, in order of appearance (with repeats removed).</summary>
    public IEnumerable<string> Symbols()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        Collect(this, seen, result);
        return result;
    }

    private static void Collect(QapiIfExpr e, HashSet<string> seen, List<string> result)
    {
        if (e.Kind == QapiIfKind.Name)
        {
            if (seen.Add(e.Name!))
            {
                result.Add(e.Name!);
            }

            return;
        }
        foreach (QapiIfExpr o in e.Operands)
        {
            Collect(o, seen, result);
        }
    }

    internal string Gen(string condFmt, string notFmt, string allOp, string anyOp, bool needParens)
    {
        switch (Kind)
        {
            case QapiIfKind.Name:
                return string.Format(condFmt, Name);
            case QapiIfKind.Not:
                return string.Format(notFmt, Operands[0].Gen(condFmt, notFmt, allOp, anyOp, true));
            default:
                string op = Kind == QapiIfKind.All ? allOp : anyOp;
                string gen = string.Join(op, Operands.Select(o => o.Gen(condFmt, notFmt, allOp, anyOp, true)));
                return needParens ? "(" + gen + ")" : gen;
        }
    }

    /// <summary>The condition as Python prints the schema value: <c>IFONE</c> at top level,
    /// <c>{'all': ['A', {'not': 'B'}]}</c> for compound conditions.</summary>
    public string ToPythonRepr() => Kind == QapiIfKind.Name ? Name! : Repr();

    private string Repr()
    {
        switch (Kind)
        {
            case QapiIfKind.Name:
                return "'" + Name + "'";
            case QapiIfKind.Not:
                return "{'not': " + Operands[0].Repr() + "}";
            default:
                var sb = new StringBuilder();
                sb.Append(Kind == QapiIfKind.All ? "{'all': [" : "{'any': [");
                sb.Append(string.Join(", ", Operands.Select(o => o.Repr())));
                sb.Append("]}");
                return sb.ToString();
        }
    }

    public override string ToString() => ToPythonRepr();
}

/// <summary>
/// The 'if' condition of a definition, member, branch or feature (QEMU's <c>QAPISchemaIfCond</c>).
/// An absent condition always holds.
/// </summary>
public sealed class QapiSchemaIfCond
{
    /// <summary>The condition that always holds (no 'if').</summary>
    public static QapiSchemaIfCond None { get; } = new(null);

    public QapiSchemaIfCond(QapiIfExpr? expr)
    {
        Expr = expr;
    }

    /// <summary>Builds a condition from the checked schema value of an 'if' key (null when absent).</summary>
    public static QapiSchemaIfCond FromSchemaValue(object? value)
        => value == null ? None : new QapiSchemaIfCond(QapiIfExpr.FromSchemaValue(value));

    /// <summary>The condition tree, or null when there is no condition.</summary>
    public QapiIfExpr? Expr { get; }

    /// <summary>Whether there is a condition (<c>is_present()</c>).</summary>
    public bool IsPresent => Expr != null;

    /// <summary>Whether the condition holds when exactly the symbols for which <paramref name="isDefined"/> is true are defined.</summary>
    public bool Evaluate(Func<string, bool> isDefined) => Expr == null || Expr.Evaluate(isDefined);

    /// <summary>The C preprocessor expression (<c>cgen_ifcond</c>): <c>defined(A) &amp;&amp; !defined(B)</c>; empty when absent.</summary>
    public string CGen() => Expr == null ? "" : Expr.Gen("defined({0})", "!{0}", " && ", " || ", false);

    /// <summary>The condition for documentation (<c>docgen_ifcond</c>): <c>A and not B</c>; empty when absent.</summary>
    public string DocGen() => Expr == null ? "" : Expr.Gen("{0}", "not {0}", " and ", " or ", false);

    /// <summary><c>#if COND</c> and a newline, as <c>gen_if</c>; empty when absent.</summary>
    public string GenIf() => Expr == null ? "" : "#if " + CGen() + "\n";

    /// <summary><c>#endif /* COND */</c> and a newline, as <c>gen_endif</c>; empty when absent.</summary>
    public string GenEndif() => Expr == null ? "" : "#endif /* " + CGen() + " */\n";

    /// <summary>The condition as the reference's test dump prints it.</summary>
    public override string ToString() => Expr?.ToPythonRepr() ?? "";
}
