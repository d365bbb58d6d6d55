using System.Collections.Generic;
using System.Text;

namespace QapiGen.Runtime.Transports;

/// <summary>
/// QEMU's option-list syntax, <c>a,b=c,d=e</c>, where a doubled comma stands for a literal comma
/// (so paths may contain commas). Shared by endpoint parsing and the host's command line.
/// </summary>
public static class QemuOptionList
{
    /// <summary>Splits <paramref name="text"/> at single commas, turning ",," into ",".</summary>
    public static List<string> Split(string text)
    {
        List<string> parts = new();
        StringBuilder current = new();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == ',')
            {
                if (i + 1 < text.Length && text[i + 1] == ',')
                {
                    current.Append(',');
                    i++;
                    continue;
                }
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(text[i]);
        }
        parts.Add(current.ToString());
        return parts;
    }
}
