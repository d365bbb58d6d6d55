using System.Collections.Generic;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Checking;

/// <summary>
/// Checks the shape of each top-level expression (keys, names, types of values, conditions,
/// features) and normalises short forms in place, so the model builder can rely on them:
/// member values become <c>{'type': ...}</c>, enum values and features become <c>{'name': ...}</c>.
/// </summary>
public static partial class ExprChecker
{
    /// <summary>Checks and normalises <paramref name="exprs"/>; throws the first <see cref="Diagnostics.QapiSemError"/>.</summary>
    public static List<QapiExpression> CheckExprs(List<QapiExpression> exprs)
    {
        throw new System.NotImplementedException();
    }
}
