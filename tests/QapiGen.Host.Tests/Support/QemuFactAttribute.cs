using System;
using System.IO;
using Xunit;

namespace QapiGen.Host.Tests.Support;

/// <summary>A test that needs real QEMU; skipped with a visible reason when qemu-system-x86_64 is not installed.</summary>
public sealed class QemuFactAttribute : FactAttribute
{
    public QemuFactAttribute()
    {
        if (QemuProcess.Executable is null)
        {
            Skip = "qemu-system-x86_64 is not installed (CI installs Debian's qemu-system-x86)";
        }
    }
}

/// <summary>A theory that needs real QEMU (see <see cref="QemuFactAttribute"/>).</summary>
public sealed class QemuTheoryAttribute : TheoryAttribute
{
    public QemuTheoryAttribute()
    {
        if (QemuProcess.Executable is null)
        {
            Skip = "qemu-system-x86_64 is not installed (CI installs Debian's qemu-system-x86)";
        }
    }
}
