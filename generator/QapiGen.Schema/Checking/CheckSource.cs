namespace QapiGen.Schema.Checking;

/// <summary>
/// What a check's error message says is wrong, such as <c>'data' member 'foo'</c>: a text and a
/// name, made one string only for an error. The checks run for every member, branch, enum value and
/// feature of a schema (QEMU's: thousands), and a string per item, made in case it is wrong, was a
/// large part of what checking the expressions allocated.
/// </summary>
internal readonly struct CheckSource
{
    private readonly string _text;
    private readonly string? _name;

    /// <param name="text">The text, such as <c>'data' member</c>.</param>
    /// <param name="name">A name that follows it in quotes, if any.</param>
    public CheckSource(string text, string? name = null)
    {
        _text = text;
        _name = name;
    }

    public static implicit operator CheckSource(string text) => new(text);

    public override string ToString() => _name == null ? _text : _text + " '" + _name + "'";
}
