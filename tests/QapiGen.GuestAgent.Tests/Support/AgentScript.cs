using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests.Support;

/// <summary>
/// One request of a scripted conversation. <c>{dir}</c>, <c>{handle}</c> and <c>{pid}</c> in the
/// request are replaced by the agent's directory and by the handle and pid its earlier replies
/// gave; <paramref name="Replies"/> lines are expected; with <paramref name="UntilExited"/> the request
/// is repeated until the reply says the program exited (how often differs by nature; the last
/// reply counts).
/// </summary>
public sealed record AgentStep(string Request, int Replies = 1, bool UntilExited = false);

/// <summary>
/// Runs a conversation with an agent and turns the replies into comparable text: member order
/// aside, and with the values that differ by nature between two agents (clock, version, command
/// list, handles, pids, the agent's own directory) checked for shape and replaced by a name.
/// </summary>
public static class AgentScript
{
    public static async Task<List<string>> RunAsync(string socketPath, string directory, IReadOnlyList<AgentStep> steps, List<JsonElement>? infos = null)
    {
        List<string> transcript = new();
        Dictionary<string, string> values = new() { ["dir"] = directory };
        await using RawAgentConnection connection = await RawAgentConnection.ConnectAsync(socketPath);
        foreach (AgentStep step in steps)
        {
            string request = values.Aggregate(step.Request, (r, kv) => r.Replace("{" + kv.Key + "}", kv.Value));
            List<RawReply> replies;
            DateTime until = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                await connection.SendAsync(request);
                replies = await connection.ReadAsync(step.Replies);
                if (!step.UntilExited || replies[^1].Json.GetProperty("return").GetProperty("exited").GetBoolean())
                {
                    break;
                }
                Assert.True(DateTime.UtcNow < until, "the program never exited: " + request);
                await Task.Delay(20);
            }
            string? command = CommandOf(request);
            foreach (RawReply reply in replies)
            {
                if (command == "guest-info" && reply.Json.TryGetProperty("return", out JsonElement info))
                {
                    infos?.Add(info);
                }
                Remember(command, reply.Json, values);
                transcript.Add(step.Request + "\n  -> " + (reply.Delimited ? "0xFF " : "") + Normalise(command, reply.Json, directory));
            }
        }
        return transcript;
    }

    private static string? CommandOf(string request)
    {
        int start = request.LastIndexOf("\"execute\":\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += "\"execute\":\"".Length;
        return request[start..request.IndexOf('"', start)];
    }

    private static void Remember(string? command, JsonElement reply, Dictionary<string, string> values)
    {
        if (!reply.TryGetProperty("return", out JsonElement value))
        {
            return;
        }
        if (command == "guest-file-open")
        {
            values["handle"] = value.GetInt64().ToString();
        }
        else if (command == "guest-exec")
        {
            values["pid"] = value.GetProperty("pid").GetInt64().ToString();
        }
    }

    private static string Normalise(string? command, JsonElement reply, string directory)
    {
        JsonNode node = JsonNode.Parse(reply.GetRawText())!;
        if (node["return"] is JsonNode value)
        {
            switch (command)
            {
                case "guest-get-time":
                    long ns = value.GetValue<long>();
                    Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
                    node["return"] = "<time>";
                    break;
                case "guest-info":
                    Assert.False(string.IsNullOrEmpty(value["version"]!.GetValue<string>()));
                    foreach (JsonNode? entry in value["supported_commands"]!.AsArray())
                    {
                        Assert.Equal(3, entry!.AsObject().Count);
                        entry["name"]!.GetValue<string>();
                        entry["enabled"]!.GetValue<bool>();
                        entry["success-response"]!.GetValue<bool>();
                    }
                    value["version"] = "<version>";
                    value["supported_commands"] = "<commands>";
                    break;
                case "guest-file-open":
                    Assert.True(value.GetValue<long>() > 0);
                    node["return"] = "<handle>";
                    break;
                case "guest-exec":
                    Assert.True(value["pid"]!.GetValue<long>() > 0);
                    value["pid"] = "<pid>";
                    break;
            }
        }
        return JsonCanon.Of(node.ToJsonString()).Replace(directory, "<dir>", StringComparison.Ordinal);
    }
}
