namespace QapiGen.Cli;
public static class Program { public static int Main(string[] args) => args.Length > 0 && args[0] == "generate" ? Commands.GenerateCommand.Run(args) : args.Length > 0 && args[0] == "introspect" ? Commands.IntrospectCommand.Run(args) : 0; }
