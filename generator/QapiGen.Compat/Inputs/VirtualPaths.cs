using System;
using System.Collections.Generic;

namespace QapiGen.Compat.Inputs;

/// <summary>
/// Names of files inside a revision or an archive: <c>PREFIX:path</c>, where the path is relative
/// to the top of the tree. A top-level main file is named <c>PREFIX:./name</c> so that the names of
/// the files it includes (joined to its directory, as the front end joins them) keep the prefix.
/// </summary>
internal static class VirtualPaths
{
    public static string Name(string prefix, string path)
    {
        path = Normalize(path);
        return prefix + ":" + (path.IndexOf('/') < 0 ? "./" + path : path);
    }

    /// <summary>The path inside the tree that <paramref name="name"/> denotes.</summary>
    public static string PathOf(string prefix, string name)
    {
        string start = prefix + ":";
        string path = name.StartsWith(start, StringComparison.Ordinal) ? name.Substring(start.Length) : name;
        return Normalize(path);
    }

    /// <summary>Drops '.' segments and empty ones and resolves '..'; never climbs above the top.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }
            parts.Add(part);
        }
        return string.Join("/", parts);
    }
}
