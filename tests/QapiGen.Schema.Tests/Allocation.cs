using System;
using QapiGen.Schema.Checking;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Schema.Tests;

/// <summary>
/// What a piece of work allocates on the test's thread, for the allocation tests: in a short-lived
/// <c>qapigen</c> every fresh page is paid for (docs/native.md). Measured on a second run, so that
/// what a process pays once (statics, caches, the code's first run) is not counted per item.
/// </summary>
internal static class Allocation
{
    public static long During(Action work)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        work();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    public static long OfSecondRun(Action work)
    {
        work();
        return During(work);
    }

    /// <summary>Parsing <paramref name="text"/> as main.json on this thread alone (no file parsed ahead).</summary>
    public static long OfParse(string text)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("main.json", text);
        return OfSecondRun(() => QapiSchemaParser.Parse("main.json", fs, null, 0));
    }

    /// <summary>Loading <paramref name="text"/> as main.json the way the tool does.</summary>
    public static long OfLoad(string text)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("main.json", text);
        return OfSecondRun(() => QapiSchema.Load("main.json", fs));
    }

    /// <summary>
    /// Loading <paramref name="text"/> on this thread alone (no file parsed ahead, expressions checked in
    /// order), so that the thread's allocation is the whole load's.
    /// </summary>
    public static long OfOneThreadLoad(string text)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("main.json", text);
        return OfSecondRun(() =>
        {
            QapiSchemaParser parser = QapiSchemaParser.Parse("main.json", fs, null, 0);
            QapiSchema.Build("main.json", ExprChecker.CheckExprs(parser.Exprs, null, false), parser.Docs, fs);
        });
    }
}
