namespace QapiGen.Runtime.Protocol;

/// <summary>
/// The version announced in the greeting (same shape as query-version's return:
/// <c>{"qemu": {"micro", "minor", "major"}, "package"}</c>).
/// </summary>
public sealed record QmpVersion(int Major, int Minor, int Micro, string Package = "")
{
    /// <summary>"MAJOR.MINOR.MICRO" and the package, if any.</summary>
    public override string ToString() => $"{Major}.{Minor}.{Micro}{(Package.Length > 0 ? " (" + Package + ")" : "")}";
}
