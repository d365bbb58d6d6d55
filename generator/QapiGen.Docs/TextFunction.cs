using System;
using System.Globalization;
using System.Threading.Tasks;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace QapiGen.Docs;

/// <summary>
/// A template function of up to <c>N</c> text arguments returning text, called without reflection.
/// Scriban's <c>Import(name, Delegate)</c> and <c>DelegateCustomFunction</c> bind a delegate's
/// parameters through reflection, which the native (trimmed, ahead-of-time) tool cannot keep.
/// Missing trailing arguments are null; a non-string argument is taken in its invariant string form.
/// </summary>
internal sealed class TextFunction : IScriptCustomFunction
{
    private readonly Func<string?, string?, string> _body;
    private readonly int _required;
    private readonly int _count;

    public TextFunction(int required, int count, Func<string?, string?, string> body)
    {
        if (count < required || count > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _required = required;
        _count = count;
        _body = body;
    }

    public int RequiredParameterCount => _required;

    public int ParameterCount => _count;

    public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

    public Type ReturnType => typeof(string);

    public ScriptParameterInfo GetParameterInfo(int index) =>
        index < _required ? new ScriptParameterInfo(typeof(string), "arg" + index)
                          : new ScriptParameterInfo(typeof(string), "arg" + index, null!);

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        _body(Arg(arguments, 0), Arg(arguments, 1));

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        new(Invoke(context, callerContext, arguments, blockStatement));

    private static string? Arg(ScriptArray args, int i) =>
        i < args.Count && args[i] is { } value ? value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
}
