using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Introspection;

namespace QapiGen.Compat;

/// <summary>
/// Whether a definition or member warned clients that it may change: feature <c>deprecated</c>
/// or <c>unstable</c>, or a name starting with <c>x-</c> (the convention "unstable" replaced,
/// still what older schemas use).
/// </summary>
internal static class FeatureCover
{
    public static string? Of(IReadOnlyList<SchemaInfoFeature> features, string name, string what)
    {
        if (features.Any(f => f.Name == "deprecated"))
        {
            return $"{what} is deprecated";
        }

        if (features.Any(f => f.Name == "unstable"))
        {
            return $"{what} is unstable";
        }

        if (IsExperimentalName(name))
        {
            return $"{what} is experimental (x- name)";
        }

        return null;
    }

    /// <summary><c>x-foo</c>, also after a downstream prefix (<c>__com.example_x-foo</c>).</summary>
    public static bool IsExperimentalName(string name)
    {
        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            int end = name.IndexOf('_', 2);
            if (end > 0)
            {
                name = name.Substring(end + 1);
            }
        }
        return name.StartsWith("x-", StringComparison.Ordinal);
    }

    public static bool HasSpecial(IReadOnlyList<SchemaInfoFeature> features, string feature)
        => features.Any(f => f.Name == feature);
}
