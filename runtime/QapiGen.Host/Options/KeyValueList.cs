using System;
using System.Collections.Generic;
using System.Text;
using QapiGen.Runtime.Transports;

namespace QapiGen.Host.Options;

/// <summary>
/// QEMU's option syntax: <c>first,key=value,flag,...</c>, where <c>,,</c> is a literal comma and
/// a bare key means "on". Keys are checked off as they are read, so whatever is left over is
/// reported as QEMU does: "Invalid parameter 'KEY'".
/// </summary>
internal sealed class KeyValueList
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly string _text;

    private KeyValueList(string text, string? first)
    {
        _text = text;
        First = first;
    }

    /// <summary>The leading item when it has no '=' (e.g. the chardev backend), else null.</summary>
    public string? First { get; }

    /// <summary>Parses <paramref name="text"/>; with <paramref name="implicitFirst"/>, a leading item without '=' is <see cref="First"/>.</summary>
    public static KeyValueList Parse(string option, string text, bool implicitFirst)
    {
        List<string> parts = QemuOptionList.Split(text);
        string? first = null;
        int start = 0;
        if (implicitFirst && parts.Count > 0 && !parts[0].Contains('='))
        {
            first = parts[0];
            start = 1;
        }
        KeyValueList list = new(text, first);
        for (int i = start; i < parts.Count; i++)
        {
            string part = parts[i];
            if (part.Length == 0)
            {
                continue;
            }
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part[..eq];
            string value = eq < 0 ? "on" : part[(eq + 1)..];
            if (!list._values.TryAdd(key, value))
            {
                throw new HostUsageException($"{option} {text}: Parameter '{key}' given more than once");
            }
        }
        return list;
    }

    public string? Take(string key) => _values.Remove(key, out string? value) ? value : null;

    /// <summary>Reads an on/off flag (QEMU also takes yes/no, true/false).</summary>
    public bool? TakeBool(string option, string key)
    {
        string? value = Take(key);
        return value switch
        {
            null => null,
            "on" or "yes" or "true" or "y" => true,
            "off" or "no" or "false" or "n" => false,
            _ => throw new HostUsageException($"{option} {_text}: Parameter '{key}' expects 'on' or 'off'"),
        };
    }

    /// <summary>Fails on the first key nobody took.</summary>
    public void EnsureAllTaken(string option)
    {
        foreach (string key in _values.Keys)
        {
            throw new HostUsageException($"{option} {_text}: Invalid parameter '{key}'");
        }
    }
}
