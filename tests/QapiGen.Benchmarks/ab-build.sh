#!/bin/sh
# Builds the benchmark project of an earlier commit for the A/B bench (`QapiGen.Benchmarks ab --before DLL`):
# a git worktree of COMMIT in DIR (default /tmp/ab-COMMIT), with this tree's LoopBench.cs copied in and a
# Program.cs that routes `loops` to it, so both builds run the same loops (`loops --serve`) over their own
# generated code. The commit's own DispatchBenchmarks.cs and ReplyReadBenchmarks.cs stay: the loops call
# their methods by name, and whether they do the same work as this tree's is for the reader to check
# (`git diff COMMIT -- tests/QapiGen.Benchmarks/DispatchBenchmarks.cs tests/QapiGen.Benchmarks/ReplyReadBenchmarks.cs`).
# Prints the built assembly's path last.
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 COMMIT [DIR]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
commit=$1
dir=${2:-/tmp/ab-$commit}
if [ ! -d "$dir" ]; then
    git -C "$here" worktree add --detach "$dir" "$commit" >&2
fi
bench="$dir/tests/QapiGen.Benchmarks"
cp "$here/LoopBench.cs" "$bench/LoopBench.cs"
cat > "$bench/Program.cs" <<'CS'
using BenchmarkDotNet.Running;

namespace QapiGen.Benchmarks;

// Written by ab-build.sh: `loops` as in the tree that runs the A/B bench, anything else BenchmarkDotNet's.
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "loops")
        {
            return LoopBench.Run(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
CS
dotnet build -c Release "$bench" >&2
echo "$bench/bin/Release/net10.0/QapiGen.Benchmarks.dll"
