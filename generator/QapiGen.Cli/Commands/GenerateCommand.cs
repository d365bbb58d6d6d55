using System;
using System.IO;
using QapiGen.CodeGen;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;

namespace QapiGen.Cli.Commands;

/// <summary>
/// <c>qapigen generate SCHEMA -o DIR [-D SYMBOL]... [-n NAMESPACE]</c>: writes the C# the source
/// generator would add to a compilation (same files, same text), for users without the generator
/// and for reading the output. -D sets the preprocessor symbols the introspection data is resolved
/// with (<c>-D ALL</c>: every condition true); the rest of the code keeps its <c>#if</c>s. <c>--baseline SCHEMA</c>
/// names an older schema the client must also work with (see docs/version-skew.md). <c>--generate</c> picks a side,
/// <c>--commands</c> / <c>--events</c> a subset (see docs/generator-scope.md).
/// </summary>
public static class GenerateCommand
{
    public const string Usage = "usage: qapigen generate SCHEMA -o DIR [-D SYMBOL]... [-n NAMESPACE] [--lenient-docs | --lenient] [--baseline SCHEMA]\n" +
        "       [--generate all|client|server|types] [--commands GLOBS] [--events GLOBS]";

    public static int Run(string[] args)
    {
        var cl = CommandLine.Parse(args, "generate", out var error);
        if (error == null && cl.Output == null)
            error = "no output directory given (-o DIR)";
        var scope = GenerationOptions.ParseScope(cl.Generate);
        if (error == null && scope == null)
            error = $"--generate takes all, client, server or types, not '{cl.Generate}'";
        if (error != null)
        {
            Console.Error.WriteLine("qapigen generate: " + error);
            Console.Error.WriteLine(Usage);
            return ExitCodes.Usage;
        }
        try
        {
            var schema = QapiSchema.Load(cl.Schema!, null, cl.SchemaOptions());
            foreach (var warning in schema.Warnings)
                Console.Error.WriteLine("warning: " + warning);
            BaselineDiff? baseline = null;
            if (cl.Baseline != null)
            {
                // Baselines are older schemas, often as shipped: read in the older language too.
                var old = QapiSchema.Load(cl.Baseline, null, new QapiGen.Schema.QapiSchemaOptions { Lenient = true });
                baseline = BaselineDiff.Compute(schema, old, BaselineDiff.NameOf(cl.Baseline));
            }
            var generation = new GenerationOptions(scope!.Value, cl.Commands, cl.Events);
            foreach (var problem in generation.Problems(schema))
                Console.Error.WriteLine("warning: " + problem);
            var spec = SpecBuilder.Build(schema, cl.Namespace ?? "Qapi", baseline, generation);
            Directory.CreateDirectory(cl.Output!);
            foreach (var source in CodeGenerator.EmitAll(spec, cl.IsDefined))
                File.WriteAllText(Path.Combine(cl.Output!, source.HintName), source.Text);
            return ExitCodes.Ok;
        }
        catch (QapiError e)
        {
            Console.Error.WriteLine(e.ToString());
            return ExitCodes.Failed;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine("qapigen generate: " + e.Message);
            return ExitCodes.Failed;
        }
    }
}
