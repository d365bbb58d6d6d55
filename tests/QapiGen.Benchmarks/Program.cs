using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Running;

namespace QapiGen.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // `cost`: the generated code's size and compile time (CodeCostBench); `loops`: dispatch and reply
        // reading as plain loops (LoopBench); `ab`: two builds' loops in interleaved rounds (AbBench);
        // anything else is BenchmarkDotNet's.
        if (args.Length > 0 && args[0] == "cost")
        {
            return CodeCostBench.Run(args);
        }

        if (args.Length > 0 && args[0] == "loops")
        {
            return LoopBench.Run(args);
        }

        if (args.Length > 0 && args[0] == "ab")
        {
            return await AbBench.RunAsync(args, CancellationToken.None);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
