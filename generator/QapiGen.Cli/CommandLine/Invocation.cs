using System.IO;

namespace QapiGen.Cli.CommandLine;

/// <summary>A verb being run: its parsed command line and where its output and messages go.</summary>
internal sealed record Invocation(VerbSpec Verb, ParsedArguments Args, TextWriter Out, TextWriter Err);
