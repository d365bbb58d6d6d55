using System;
using System.IO;

namespace QapiGen.Cli.CommandLine;

/// <summary>
/// A verb being run: its parsed command line and where its output and messages go. Null writers
/// mean the console's, looked up only when first written to: a run that prints nothing (a valid
/// <c>check</c>) never sets up a console writer, which is start-up work a native run notices.
/// </summary>
internal sealed class Invocation(VerbSpec verb, ParsedArguments args, TextWriter? stdout, TextWriter? stderr)
{
    public VerbSpec Verb { get; } = verb;

    public ParsedArguments Args { get; } = args;

    public TextWriter Out => stdout ?? Console.Out;

    public TextWriter Err => stderr ?? Console.Error;
}
