using System;
using Xunit;

namespace QapiGen.Schema.Tests.Robustness;

/// <summary>A fact about Linux files (/dev/zero, FIFOs, /proc); reported as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux";
        }
    }
}
