using System.Collections.Generic;
using System.Text;

#pragma warning disable IDE0130
namespace System.Runtime.CompilerServices;

/// <summary>
/// What the compiler turns an interpolated string into when the type exists: netstandard2.0 lacks it, and
/// there every <c>$"..."</c> was a <c>string.Format</c> (a boxed value per number, an object array, the
/// format parsed and a builder per call; a large part of what generating QEMU's schema allocated). Here
/// the pieces go into a builder kept per thread, so an interpolation allocates its result only.
/// Values are formatted as <c>string.Format</c> formats them (the current culture).
/// </summary>
[InterpolatedStringHandler]
internal ref struct DefaultInterpolatedStringHandler
{
    // Builders free for reuse; an interpolation inside another's holes takes a builder of its own.
    [ThreadStatic]
    private static Stack<StringBuilder>? t_free;

    private StringBuilder? _sb;

    public DefaultInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        Stack<StringBuilder> free = t_free ??= new Stack<StringBuilder>();
        _sb = free.Count > 0 ? free.Pop() : new StringBuilder(Math.Max(literalLength + formattedCount * 8, 64));
    }

    public void AppendLiteral(string value) => _sb!.Append(value);

    public void AppendFormatted(string? value) => _sb!.Append(value);

    public void AppendFormatted(string? value, int alignment = 0, string? format = null) => AppendFormatted<string?>(value, alignment, format);

    public void AppendFormatted<T>(T value)
    {
        // Numbers without boxing (the test of the type is a constant for each instantiation).
        if (typeof(T) == typeof(int))
        {
            _sb!.Append((int)(object)value!);
        }
        else if (value is IFormattable formattable)
        {
            _sb!.Append(formattable.ToString(null, null));
        }
        else if (value != null)
        {
            _sb!.Append(value.ToString());
        }
    }

    public void AppendFormatted<T>(T value, string? format) => AppendFormatted(value, 0, format);

    public void AppendFormatted<T>(T value, int alignment) => AppendFormatted(value, alignment, null);

    public void AppendFormatted<T>(T value, int alignment, string? format)
    {
        string? text = value is IFormattable formattable ? formattable.ToString(format, null) : value?.ToString();
        text ??= "";
        int pad = Math.Abs(alignment) - text.Length;
        if (pad > 0 && alignment > 0)
        {
            _sb!.Append(' ', pad);
        }

        _sb!.Append(text);
        if (pad > 0 && alignment < 0)
        {
            _sb.Append(' ', pad);
        }
    }

    public string ToStringAndClear()
    {
        StringBuilder sb = _sb!;
        _sb = null;
        string text = sb.ToString();
        // Keep small builders only: a rare long text would otherwise stay allocated for the thread.
        if (sb.Capacity <= 4096)
        {
            sb.Clear();
            t_free!.Push(sb);
        }

        return text;
    }
}
