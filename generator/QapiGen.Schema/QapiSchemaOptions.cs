using System;
using System.Collections.Generic;
using QapiGen.Schema.Diagnostics;

namespace QapiGen.Schema;

/// <summary>
/// How strictly the front end reads a schema. The defaults are the current language with every
/// check of the reference front end; the relaxations exist to load older real-world schemas.
/// </summary>
public sealed class QapiSchemaOptions
{
    public static QapiSchemaOptions Strict => new();

    /// <summary>Report doc-comment problems as warnings (the doc comment is then dropped) instead of errors.</summary>
    public bool LenientDocs { get; set; }

    /// <summary>Also accept QEMU's older language (simple unions, string conditions, old pragma names); implies <see cref="LenientDocs"/>.</summary>
    public bool Lenient { get; set; }

    /// <summary>Problems downgraded to warnings, in the order found.</summary>
    public List<QapiError> Warnings { get; } = new();

    /// <summary>
    /// Called with the stage's name as each stage of a load ends: <c>parse</c> (the files read and
    /// parsed), <c>check expressions</c>, <c>model</c> (entities defined), <c>check model</c>. For
    /// timing a load (<c>QAPIGEN_TIMINGS</c> of <c>qapigen</c>); null: nobody is told.
    /// </summary>
    public Action<string>? StageEnded { get; set; }

    /// <summary>Raises <paramref name="error"/>, or records it as a warning when doc problems are lenient.</summary>
    public void ReportDocError(QapiError error)
    {
        if (!(LenientDocs || Lenient))
        {
            throw error;
        }

        Warnings.Add(error);
    }
}
