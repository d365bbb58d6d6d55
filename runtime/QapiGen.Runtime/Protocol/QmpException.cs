using System;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// Thrown by command handlers to fail a command with a QMP error (the session turns it into
/// the error reply), and by <c>QmpClient</c> when the server answers with one.
/// </summary>
public class QmpException : Exception
{
    /// <summary>Fails with <paramref name="error"/>.</summary>
    public QmpException(QmpError error)
        : base(error?.Description)
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    /// <summary>Fails with an error of class <paramref name="errorClass"/> (see <see cref="QmpErrorClass"/>).</summary>
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

    /// <summary>The QMP error.</summary>
    public QmpError Error { get; }

    /// <summary>The error's class.</summary>
    public string ErrorClass => Error.Class;

    /// <summary>The error's description.</summary>
    public string Description => Error.Description;
}
