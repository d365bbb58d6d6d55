using System.Collections.Generic;
using QapiGen.Cli.CommandLine;
using QapiGen.Cli.Commands;

namespace QapiGen.Cli;

/// <summary>
/// Every verb of <c>qapigen</c> with its arguments and options: the one place the command line is
/// described. The parser reads these specs, the help prints them, and an option shared by several
/// verbs is one object here, so it is spelt and explained the same everywhere.
/// </summary>
internal static class Verbs
{
    public static readonly OptionSpec LenientDocs = new("--lenient-docs", null, null,
        "report doc-comment problems as warnings and drop the comment (schemas QEMU built with, e.g. v6.2.0, v7.0.50)");

    public static readonly OptionSpec Lenient = new("--lenient", null, null,
        "also accept QEMU's older schema language (simple unions, string conditions: v5.2, v6.0); implies --lenient-docs");

    public static readonly OptionSpec Define = new("--define", "-D", "SYMBOL",
        "decide 'if' conditions with SYMBOL defined; a value may list several, separated by ',' or ';'; "
        + "-D ALL makes every condition true", Repeatable: true);

    public static readonly OptionSpec TemplateDefine = new("--define", "-D", "SYMBOL",
        "leave out what is conditional on symbols not defined (without -D nothing is left out); a value may list several, "
        + "separated by ',' or ';'", Repeatable: true);

    public static readonly OptionSpec Output = new("--output", "-o", "DIR",
        "the directory to write into (created if absent)", Required: true);

    public static readonly OptionSpec Namespace = new("--namespace", "-n", "NAMESPACE",
        "the C# namespace of the generated code (default: Qapi)");

    public static readonly OptionSpec Baseline = new("--baseline", null, "SCHEMA",
        "an older schema the client must also work with: what it lacks becomes optional (docs/version-skew.md)");

    public static readonly OptionSpec GenerateScope = new("--generate", null, "SIDE",
        "the side to generate: all (default), client, server or types (docs/generator-scope.md)",
        Choices: ["all", "client", "server", "types"]);

    public static readonly OptionSpec Commands = new("--commands", null, "GLOBS",
        "only these commands and the types they reach: globs separated by ';' or ',', '!' excludes (docs/generator-scope.md)");

    public static readonly OptionSpec Events = new("--events", null, "GLOBS",
        "only these events and the types they reach, as --commands");

    public static readonly OptionSpec FdCommands = new("--fd-commands", null, "GLOBS",
        "the commands that consume passed fds, whose client methods take fds (default: getfd;add-fd), globs as --commands");

    public static readonly OptionSpec Unmask = new("--unmask-non-abi-names", "-u", null,
        "print names as the schema spells them instead of masking the non-ABI ones as QEMU does");

    public static readonly OptionSpec CompatFormat = new("--format", null, "FORMAT",
        "how to report (default: text)", Choices: ["text", "json", "github-actions", "junit", "sarif"]);

    public static readonly OptionSpec Against = new("--against", null, "REF",
        "the old side from git:REV[:PATH], a directory DIR[:PATH] or a tar archive ARCHIVE[:PATH] "
        + "(PATH inside it; by default NEW's path)");

    public static readonly OptionSpec Config = new("--config", null, "FILE",
        "the accepted breaks (default: " + QapiGen.Compat.AcceptanceFile.DefaultName + " beside NEW, if present)");

    public static readonly OptionSpec NoConfig = new("--no-config", null, null,
        "ignore " + QapiGen.Compat.AcceptanceFile.DefaultName);

    public static readonly OptionSpec AllChanges = new("--all", null, null, "also list compatible changes");

    public static readonly OptionSpec DocFormat = new("--format", null, "FORMAT",
        "the manual's format (default: html)", Choices: ["html", "markdown", "md"]);

    public static readonly OptionSpec Templates = new("--templates", null, "DIR",
        "templates that replace the built-in ones of the same name (docs/reference-docs.md)");

    public static readonly OptionSpec Template = new("--template", "-t", "FILE",
        "a Scriban template; its output is named after it without .scriban", Repeatable: true, Required: true);

    public static readonly OptionSpec Known = new("--known", null, "FILE",
        "the cases expected to differ, one 'NAME: reason' a line: listed as skipped, not failed");

    public static readonly OptionSpec Verbose = new("--verbose", "-v", null, "also list the cases that pass");

    private static readonly (string, string) Schema = ("SCHEMA", "the schema's main file (what it includes is read from beside it)");

    public static readonly VerbSpec Check = new("check", ["SCHEMA [options]"],
        "validate a schema; print the first error",
        "Reads a schema as QEMU's front end does and exits 0 when it is valid; otherwise prints the first error, "
        + "located and worded as QEMU prints it, and exits 1.",
        [Schema], [LenientDocs, Lenient], CheckCommand.Execute);

    public static readonly VerbSpec Dump = new("dump", ["SCHEMA [options]"],
        "print the resolved model (.out format)",
        "Prints the resolved model of a valid schema in the format of QEMU's QAPI test suite (.out files); "
        + "a schema error is reported as check reports it.",
        [Schema], [LenientDocs, Lenient], DumpCommand.Execute);

    public static readonly VerbSpec Generate = new("generate", ["SCHEMA -o DIR [options]"],
        "write the C# the source generator emits",
        "Writes the C# files the source generator adds to a compilation, the same files with the same text. "
        + "-D decides the conditions of the introspection data; the rest of the code keeps its #if lines.",
        [Schema], [Output, Define, Namespace, Baseline, GenerateScope, Commands, Events, FdCommands, LenientDocs, Lenient], GenerateCommand.Execute);

    public static readonly VerbSpec Introspect = new("introspect", ["SCHEMA [options]"],
        "print the query-qmp-schema reply",
        "Prints the reply to query-qmp-schema that code generated with the -D symbols gives, laid out byte for byte "
        + "as QEMU prints it, to compare with a live server.",
        [Schema], [Define, Unmask, LenientDocs, Lenient], IntrospectCommand.Execute);

    public static readonly VerbSpec Compat = new("compat", ["OLD NEW [options]", "--against REF NEW [options]"],
        "report incompatible changes between two versions (a CI gate)",
        "Reports what an existing QMP client would notice when the server moves from OLD to NEW. Exits 0 when "
        + "nothing breaks (or every break is accepted), 1 when something breaks, 2 when a side cannot be read or "
        + "does not load (never taken as an empty schema). Without -D every conditional definition is compared.",
        [("OLD, NEW", "a schema's main file, or a saved query-qmp-schema reply (JSON); '-' reads standard input")],
        [Against, CompatFormat, Config, NoConfig, AllChanges, Define, Lenient], CompatCommand.Execute, CompatCommand.Validate);

    public static readonly VerbSpec Doc = new("doc", ["SCHEMA -o DIR [options]"],
        "write the schema's reference manual",
        "Writes a searchable reference manual of the schema that works offline (docs/reference-docs.md).",
        [Schema], [Output, DocFormat, TemplateDefine, Templates, LenientDocs, Lenient], DocCommand.Execute);

    public static readonly VerbSpec Render = new("render", ["--template FILE... SCHEMA -o DIR [options]"],
        "render your Scriban templates over the schema model",
        "Renders your own Scriban templates over the schema's documentation model (docs/templates.md).",
        [Schema], [Template, Output, TemplateDefine, LenientDocs, Lenient], RenderCommand.Execute);

    public static readonly VerbSpec Conformance = new("conformance", ["DIR [options]"],
        "run a QAPI test-suite directory",
        "Runs every DIR/NAME.json that has a NAME.out, compares the dump and the error text with NAME.out and "
        + "NAME.err, prints each failing case with a short diff and ends with 'N passed, M failed'. Exits 1 when a case fails.",
        [("DIR", "the test-suite directory (QEMU's tests/qapi-schema)")], [Known, Verbose], ConformanceCommand.Execute);

    public static readonly IReadOnlyList<VerbSpec> All = [Check, Dump, Generate, Introspect, Compat, Doc, Render, Conformance];

    public static VerbSpec? Find(string name)
    {
        foreach (VerbSpec verb in All)
        {
            if (verb.Name == name)
            {
                return verb;
            }
        }
        return null;
    }
}
