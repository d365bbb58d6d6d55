
namespace QapiGen.Runtime.Protocol;

/// <summary>
/// A QMP error: <c>{"error": {"class": Class, "desc": Description}}</c>. The factory methods
/// produce QEMU's exact wording (checked against QEMU 7.2) so generated argument checking and
/// host handlers answer like QEMU does.
/// </summary>
public sealed record QmpError(string Class, string Description)
{
    /// <summary>A <see cref="QmpErrorClass.GenericError"/> with <paramref name="description"/>.</summary>
    public static QmpError Generic(string description) => new(QmpErrorClass.GenericError, description);

    /// <summary>"The command NAME has not been found" (CommandNotFound).</summary>
    public static QmpError CommandNotFound(string command) =>
        new(QmpErrorClass.CommandNotFound, $"The command {command} has not been found");

    /// <summary>"Parameter 'NAME' is missing": a mandatory member is absent.</summary>
    public static QmpError ParameterMissing(string name) => Generic($"Parameter '{name}' is missing");

    /// <summary>"Parameter 'NAME' is unexpected": a member the schema does not define.</summary>
    public static QmpError ParameterUnexpected(string name) => Generic($"Parameter '{name}' is unexpected");

    /// <summary>
    /// "Invalid parameter type for 'NAME', expected: TYPE" where TYPE is QEMU's word:
    /// integer, number, string, boolean, object, array, null.
    /// </summary>
    public static QmpError InvalidParameterType(string name, string expected) =>
        Generic($"Invalid parameter type for '{name}', expected: {expected}");

    /// <summary>
    /// "Parameter 'NAME' does not accept value 'VALUE'": unknown enum value. QEMU passes
    /// 'null' as NAME for list elements (e.g. qmp_capabilities enable: ["foo"]).
    /// </summary>
    public static QmpError InvalidEnumValue(string? name, string value) =>
        Generic($"Parameter '{name ?? "null"}' does not accept value '{value}'");

    /// <summary>"Parameter 'NAME' expects DESCRIPTION": a value of the right type out of range.</summary>
    public static QmpError InvalidParameterValue(string name, string expectation) =>
        Generic($"Parameter '{name}' expects {expectation}");

    /// <summary>add-fd/getfd without an fd: "No file descriptor supplied via SCM_RIGHTS".</summary>
    public static QmpError NoFileDescriptor { get; } = Generic("No file descriptor supplied via SCM_RIGHTS");

    /// <summary>A <see cref="QmpException"/> carrying this error, for a handler to throw.</summary>
    public QmpException ToException() => new(this);

    /// <summary>"Class: Description".</summary>
    public override string ToString() => $"{Class}: {Description}";
}
