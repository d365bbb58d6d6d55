using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace QapiGen.Runtime.Client;

/// <summary>
/// What the connected server has, from its <c>query-qmp-schema</c> reply (fetched on the first
/// question, once per connection, then cached): commands, events, arguments and members, enum values
/// and features. Type names are masked in QEMU's introspection, so everything is reached the way a
/// client reaches it: from a command or event, down a path of member names.
/// </summary>
/// <remarks>
/// A path starts at <c>arguments</c> or <c>return</c> of a command, or <c>data</c> of an event, and
/// names members separated by dots (<c>arguments.capabilities.capability</c>); list elements, the
/// branches of unions and the alternatives of alternates are looked through, so a member of any branch
/// counts. A server without <c>query-qmp-schema</c> has none of these (every answer is false).
/// </remarks>
public sealed class QmpServerSchema
{
    private readonly QmpClient _client;
    private readonly object _gate = new();
    private Task<Index>? _index;

    internal QmpServerSchema(QmpClient client) => _client = client;

    /// <summary>Whether the server has command <paramref name="command"/>.</summary>
    public async Task<bool> HasCommandAsync(string command, CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken).ConfigureAwait(false)).Commands.ContainsKey(command);

    /// <summary>Whether the server has event <paramref name="event"/>.</summary>
    public async Task<bool> HasEventAsync(string @event, CancellationToken cancellationToken = default) =>
        (await GetAsync(cancellationToken).ConfigureAwait(false)).Events.ContainsKey(@event);

    /// <summary>Whether <paramref name="command"/> takes argument <paramref name="path"/> (<c>channels</c>, <c>capabilities.capability</c>).</summary>
    public Task<bool> HasArgumentAsync(string command, string path, CancellationToken cancellationToken = default) =>
        HasMemberAsync(command, "arguments." + path, cancellationToken);

    /// <summary>Whether the return value of <paramref name="command"/> has member <paramref name="path"/> (<c>acpi</c>, <c>stats.zone_append_bytes</c>).</summary>
    public Task<bool> HasReturnMemberAsync(string command, string path, CancellationToken cancellationToken = default) =>
        HasMemberAsync(command, "return." + path, cancellationToken);

    /// <summary>Whether the data of <paramref name="event"/> has member <paramref name="path"/>.</summary>
    public Task<bool> HasEventMemberAsync(string @event, string path, CancellationToken cancellationToken = default) =>
        HasMemberAsync(@event, "data." + path, cancellationToken);

    /// <summary>Whether the value at <paramref name="path"/> of <paramref name="entity"/> (a command or event; the path
    /// starting with <c>arguments</c>, <c>return</c> or <c>data</c>) can be enum value <paramref name="value"/>, carrying
    /// feature <paramref name="feature"/> when one is given.</summary>
    public async Task<bool> HasEnumValueAsync(string entity, string path, string value, string? feature = null, CancellationToken cancellationToken = default)
    {
        Index index = await GetAsync(cancellationToken).ConfigureAwait(false);
        foreach (JsonElement type in index.Expand(index.Resolve(entity, path, out _)))
        {
            if (!IsMeta(type, "enum"))
            {
                continue;
            }
            if (type.TryGetProperty("members"u8, out JsonElement members))
            {
                foreach (JsonElement m in members.EnumerateArray())
                {
                    if (m.GetProperty("name"u8).ValueEquals(value) && (feature is null || HasFeature(m, feature)))
                    {
                        return true;
                    }
                }
            }
            else if (feature is null && type.TryGetProperty("values"u8, out JsonElement values))
            {
                foreach (JsonElement v in values.EnumerateArray())
                {
                    if (v.ValueEquals(value))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /// <summary>
    /// Whether <paramref name="entity"/> (a command or event; <paramref name="path"/> null) or its member at
    /// <paramref name="path"/> carries feature <paramref name="feature"/> (<c>deprecated</c>, <c>unstable</c>, ...).
    /// </summary>
    public async Task<bool> HasFeatureAsync(string entity, string? path, string feature, CancellationToken cancellationToken = default)
    {
        Index index = await GetAsync(cancellationToken).ConfigureAwait(false);
        if (path is null)
        {
            return (index.Commands.TryGetValue(entity, out JsonElement c) && HasFeature(c, feature))
                || (index.Events.TryGetValue(entity, out JsonElement e) && HasFeature(e, feature));
        }
        index.Resolve(entity, path, out List<JsonElement> members);
        foreach (JsonElement m in members)
        {
            if (HasFeature(m, feature))
            {
                return true;
            }
        }
        return false;
    }

    private async Task<bool> HasMemberAsync(string entity, string path, CancellationToken cancellationToken)
    {
        Index index = await GetAsync(cancellationToken).ConfigureAwait(false);
        index.Resolve(entity, path, out List<JsonElement> members);
        return members.Count > 0;
    }

    private Task<Index> GetAsync(CancellationToken cancellationToken)
    {
        Task<Index> task;
        lock (_gate)
        {
            // A failed or cancelled fetch is not cached: the next question asks again.
            if (_index is null || _index.IsFaulted || _index.IsCanceled)
            {
                _index = FetchAsync();
            }
            task = _index;
        }
        return task.WaitAsync(cancellationToken);
    }

    private async Task<Index> FetchAsync()
    {
        JsonElement reply;
        try
        {
            reply = await _client.ExecuteAsync("query-qmp-schema").ConfigureAwait(false);
        }
        catch (Protocol.QmpException e) when (e.ErrorClass == Protocol.QmpErrorClass.CommandNotFound)
        {
            reply = JsonDocument.Parse("[]").RootElement;
        }
        return new Index(reply);
    }

    private static bool IsMeta(JsonElement e, string meta) =>
        e.TryGetProperty("meta-type"u8, out JsonElement m) && m.ValueEquals(meta);

    private static bool HasFeature(JsonElement e, string feature)
    {
        if (e.TryGetProperty("features"u8, out JsonElement features) && features.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement f in features.EnumerateArray())
            {
                if (f.ValueEquals(feature))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private sealed class Index
    {
        private readonly Dictionary<string, JsonElement> _types = new(StringComparer.Ordinal);

        public Index(JsonElement reply)
        {
            if (reply.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            foreach (JsonElement e in reply.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("name"u8, out JsonElement n) || n.ValueKind != JsonValueKind.String)
                {
                    continue;
                }
                string name = n.GetString()!;
                if (IsMeta(e, "command"))
                {
                    Commands[name] = e;
                }
                else if (IsMeta(e, "event"))
                {
                    Events[name] = e;
                }
                else
                {
                    _types[name] = e;
                }
            }
        }

        public Dictionary<string, JsonElement> Commands { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, JsonElement> Events { get; } = new(StringComparer.Ordinal);

        /// <summary>The types a path reaches, and the member entries of its last step.</summary>
        public List<JsonElement> Resolve(string entity, string path, out List<JsonElement> members)
        {
            members = new List<JsonElement>();
            string[] steps = path.Split('.');
            string? start = steps[0] switch
            {
                "arguments" => Commands.TryGetValue(entity, out JsonElement c) ? Str(c, "arg-type") : null,
                "return" => Commands.TryGetValue(entity, out JsonElement c) ? Str(c, "ret-type") : null,
                "data" => Events.TryGetValue(entity, out JsonElement e) ? Str(e, "arg-type") : null,
                _ => throw new ArgumentException("A path starts with 'arguments', 'return' or 'data': " + path, nameof(path)),
            };
            List<JsonElement> current = new();
            if (start is not null && _types.TryGetValue(start, out JsonElement t))
            {
                current.Add(t);
            }
            for (int i = 1; i < steps.Length; i++)
            {
                members = new List<JsonElement>();
                List<JsonElement> next = new();
                foreach (JsonElement type in Expand(current))
                {
                    if (!IsMeta(type, "object") || !type.TryGetProperty("members"u8, out JsonElement ms))
                    {
                        continue;
                    }
                    foreach (JsonElement m in ms.EnumerateArray())
                    {
                        if (m.GetProperty("name"u8).ValueEquals(steps[i]))
                        {
                            members.Add(m);
                            if (Str(m, "type") is { } mt && _types.TryGetValue(mt, out JsonElement mtype))
                            {
                                next.Add(mtype);
                            }
                        }
                    }
                }
                current = next;
            }
            return current;
        }

        /// <summary>The types a value of <paramref name="types"/> can be: through list elements, alternatives and union branches.</summary>
        public List<JsonElement> Expand(List<JsonElement> types)
        {
            List<JsonElement> result = new();
            HashSet<string> seen = new(StringComparer.Ordinal);
            Stack<JsonElement> work = new(types);
            while (work.Count > 0)
            {
                JsonElement t = work.Pop();
                if (!seen.Add(Str(t, "name") ?? ""))
                {
                    continue;
                }
                result.Add(t);
                IEnumerable<string?> more = IsMeta(t, "array") ? [Str(t, "element-type")]
                    : IsMeta(t, "alternate") ? Each(t, "members", "type")
                    : IsMeta(t, "object") ? Each(t, "variants", "type")
                    : [];
                foreach (string? name in more)
                {
                    if (name is not null && _types.TryGetValue(name, out JsonElement next))
                    {
                        work.Push(next);
                    }
                }
            }
            return result;
        }

        private static IEnumerable<string?> Each(JsonElement e, string list, string key)
        {
            if (e.TryGetProperty(list, out JsonElement items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    yield return Str(item, key);
                }
            }
        }

        private static string? Str(JsonElement e, string key) =>
            e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
