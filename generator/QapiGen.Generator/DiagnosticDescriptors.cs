using Microsoft.CodeAnalysis;

namespace QapiGen.Generator;

/// <summary>Every diagnostic the generator reports, in one place.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "QapiGen";

    /// <summary>The schema text does not parse (located at the offending character).</summary>
    public static readonly DiagnosticDescriptor SyntaxError = new(
        "QAPI0001", "QAPI schema syntax error", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>The schema parses but breaks a rule of the language (located at the definition).</summary>
    public static readonly DiagnosticDescriptor SemanticError = new(
        "QAPI0002", "QAPI schema error", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>The schema is valid QAPI, but the C# mapping cannot express a construct.</summary>
    public static readonly DiagnosticDescriptor Unsupported = new(
        "QAPI0003", "QAPI construct not supported by the C# mapping", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>A QapiSchema item names a file MSBuild did not pass (or that cannot be read).</summary>
    public static readonly DiagnosticDescriptor SchemaFileMissing = new(
        "QAPI0004", "QAPI schema file cannot be read", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>The QapiNamespace is not a valid C# namespace.</summary>
    public static readonly DiagnosticDescriptor BadNamespace = new(
        "QAPI0005", "Invalid QapiNamespace", "'{0}' is not a valid C# namespace for the generated QAPI code", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>The Generate metadata of a QapiSchema item is not a scope.</summary>
    public static readonly DiagnosticDescriptor BadScope = new(
        "QAPI0006", "Invalid QapiSchema Generate scope", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>
    /// A problem the user chose to tolerate (<c>QapiLenientDocs</c> / <c>QapiLenient</c>): a doc comment QEMU's
    /// front end would refuse; the doc comment is dropped and generation goes on.
    /// </summary>
    public static readonly DiagnosticDescriptor LenientWarning = new(
        "QAPI0101", "QAPI schema problem tolerated by lenient mode", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <summary>A pattern of a QapiSchema item's Commands or Events subset names nothing in the schema (likely a typo).</summary>
    public static readonly DiagnosticDescriptor SubsetMatchesNothing = new(
        "QAPI0102", "QAPI subset pattern matches nothing", "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <summary>The generator itself failed; it never throws, this reports why.</summary>
    public static readonly DiagnosticDescriptor InternalError = new(
        "QAPI9999", "QapiGen generator failure", "The QAPI source generator failed: {0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "QAPI0001" => SyntaxError,
        "QAPI0002" => SemanticError,
        "QAPI0003" => Unsupported,
        "QAPI0004" => SchemaFileMissing,
        "QAPI0005" => BadNamespace,
        "QAPI0006" => BadScope,
        "QAPI0101" => LenientWarning,
        "QAPI0102" => SubsetMatchesNothing,
        _ => InternalError,
    };
}
