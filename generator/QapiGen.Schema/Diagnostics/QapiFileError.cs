namespace QapiGen.Schema.Diagnostics;

/// <summary>
/// The main schema file cannot be read (missing, not a regular file, not readable, too large): there is
/// no schema to judge, as opposed to an error in one. (An include that cannot be read is an error of the
/// including file, a <see cref="QapiSemError"/> located at the directive.) Rendered as the reference renders it.
/// </summary>
public sealed class QapiFileError : QapiError
{
    public QapiFileError(string message)
        : base(null, message) { }
}
