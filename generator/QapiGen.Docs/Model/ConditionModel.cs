using System.Collections.Generic;

namespace QapiGen.Docs.Model;

/// <summary>The 'if' condition of a definition, member, branch or feature.</summary>
public sealed class ConditionModel
{
    /// <summary>Whether there is a condition at all (absent conditions always hold).</summary>
    public bool Present { get; init; }
    /// <summary>As QEMU's manual prints it: <c>CONFIG_A and not CONFIG_B</c>; empty when absent.</summary>
    public string Text { get; init; } = "";
    /// <summary>The C preprocessor expression: <c>defined(CONFIG_A) &amp;&amp; !defined(CONFIG_B)</c>.</summary>
    public string C { get; init; } = "";
    /// <summary>Every symbol mentioned, in order of appearance.</summary>
    public List<string> Symbols { get; init; } = new();
    /// <summary>Whether it holds for the <c>-D</c> symbols given (true when none were given).</summary>
    public bool Enabled { get; init; } = true;
}
