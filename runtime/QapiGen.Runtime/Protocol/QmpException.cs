using System;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// Thrown by command handlers to fail a command with a QMP error (the session turns it into
/// the error reply), and by <c>QmpClient</c> when the server answers with one.
/// </summary>
public class QmpException : Exception
{
    public QmpException(QmpError error)
        : base(error?.Description)
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    public QmpException(string errorClass, string description)
        : this(new QmpError(errorClass, description))
    {
    }

    /// <summary>For derived errors that have a cause.</summary>
    protected QmpException(QmpError error, Exception? innerException)
        : base(error?.Description, innerException)
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    public QmpError Error { get; }

    public string ErrorClass => Error.Class;

    public string Description => Error.Description;
}
