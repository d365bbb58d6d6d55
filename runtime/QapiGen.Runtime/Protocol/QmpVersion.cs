using System;
using System.Globalization;
using System.Reflection;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The version a server announces in its greeting and returns from <c>query-version</c> (same shape:
/// <c>{"qemu": {"micro", "minor", "major"}, "package"}</c>).
/// </summary>
public sealed record QmpVersion(int Major, int Minor, int Micro, string Package = "")
{
    private static readonly Lazy<QmpVersion> ApplicationVersion = new(() => FromAssembly(Assembly.GetEntryAssembly()));

    /// <summary>
    /// The application's version: that of the entry assembly (<see cref="FromAssembly"/>), read once. It is what a
    /// server reports unless <see cref="QmpSessionOptions.Version"/> says otherwise, so a server built on QapiGen
    /// reports its own release, not QEMU's.
    /// </summary>
    public static QmpVersion Application => ApplicationVersion.Value;

    /// <summary>
    /// The version of <paramref name="assembly"/>: major, minor and micro are the leading numbers of its informational
    /// version (<c>&lt;Version&gt;</c> in the project, e.g. <c>1.4.2-beta.1+3f2a1c</c>), or of its assembly version
    /// when the informational one does not start with a number; the package is the whole informational version
    /// (empty without one). Missing numbers are 0; a null assembly (no managed entry point) gives 0.0.0.
    /// </summary>
    public static QmpVersion FromAssembly(Assembly? assembly)
    {
        if (assembly is null)
        {
            return new QmpVersion(0, 0, 0);
        }
        string informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        if (TryParseNumbers(informational, out int major, out int minor, out int micro))
        {
            return new QmpVersion(major, minor, micro, informational);
        }
        Version? version = assembly.GetName().Version;
        return version is null
            ? new QmpVersion(0, 0, 0, informational)
            : new QmpVersion(version.Major, version.Minor, Math.Max(0, version.Build), informational);
    }

    /// <summary>Up to three dot-separated numbers at the start of <paramref name="text"/> ("1.4.2-rc1": 1, 4, 2).</summary>
    private static bool TryParseNumbers(string text, out int major, out int minor, out int micro)
    {
        Span<int> parts = stackalloc int[3];
        int count = 0;
        int i = 0;
        while (count < 3)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start || !int.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out parts[count]))
            {
                break;
            }
            count++;
            if (i >= text.Length || text[i] != '.')
            {
                break;
            }
            i++;
        }
        (major, minor, micro) = (parts[0], parts[1], parts[2]);
        return count > 0;
    }

    /// <summary>"MAJOR.MINOR.MICRO" and the package, if any.</summary>
    public override string ToString() => $"{Major}.{Minor}.{Micro}{(Package.Length > 0 ? " (" + Package + ")" : "")}";
}
