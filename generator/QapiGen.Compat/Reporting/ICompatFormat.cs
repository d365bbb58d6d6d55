using System.Collections.Generic;
using System.IO;

namespace QapiGen.Compat;

/// <summary>One output format of <c>qapigen compat</c>: findings, and a side that could not be compared.</summary>
public interface ICompatFormat
{
    string Name { get; }

    void Write(TextWriter w, CompatResult result);

    /// <summary>
    /// Writes an input error in the format, for the machine formats (on standard output, where the
    /// consumer reads); returns false when the format leaves it to standard error (text).
    /// </summary>
    bool WriteError(TextWriter w, CompatInputException error);
}

public static class CompatFormats
{
    public static IReadOnlyList<ICompatFormat> All { get; } = new ICompatFormat[]
    {
        new TextFormat(), new JsonFormat(), new GitHubActionsFormat(), new JUnitFormat(), new SarifFormat(),
    };

    public static ICompatFormat? Find(string name)
    {
        foreach (ICompatFormat f in All)
        {
            if (f.Name == name)
            {
                return f;
            }
        }
        return null;
    }
}
