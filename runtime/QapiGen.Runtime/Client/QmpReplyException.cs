using System;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Runtime.Client;

/// <summary>
/// A reply or event a generated client cannot represent with its schema: a member the schema makes
/// mandatory is absent, or a value has the wrong JSON type or range. (Members and enum values the
/// schema lacks are not errors: the readers keep them.) It names the command or event, the member
/// path inside the reply (<c>return[0].acpi</c>, <c>data.offset</c>), the likely cause, and carries
/// the raw JSON as received. <see cref="QmpException.ErrorClass"/> is <see cref="ReplyMismatch"/>,
/// a class no QMP server sends, so it never passes for the server's own error.
/// </summary>
public sealed class QmpReplyException : QmpException
{
    /// <summary>The <see cref="QmpException.ErrorClass"/> of this error.</summary>
    public const string ReplyMismatch = "ReplyMismatch";

    private QmpReplyException(string? command, string? eventName, string memberPath, bool isMissing, string detail, string rawJson, Exception? inner)
        : base(new QmpError(ReplyMismatch, Describe(command, eventName, memberPath, isMissing, detail)), inner)
    {
        Command = command;
        EventName = eventName;
        MemberPath = memberPath;
        IsMissingMember = isMissing;
        Detail = detail;
        RawJson = rawJson;
    }

    /// <summary>An unreadable return value of <paramref name="command"/>.</summary>
    /// <param name="command">The command's wire name.</param>
    /// <param name="member">Where, relative to the return value (<c>[0].acpi</c>, <c>stats.x</c>; empty or null: the value itself).</param>
    /// <param name="isMissing">Whether a mandatory member was absent.</param>
    /// <param name="detail">What the reader found.</param>
    /// <param name="rawJson">The return value as received.</param>
    /// <param name="inner">The reader's error.</param>
    public static QmpReplyException ForReply(string command, string? member, bool isMissing, string detail, string rawJson, Exception? inner = null) =>
        new(command, null, Join("return", member), isMissing, detail, rawJson, inner);

    /// <summary>Unreadable data of event <paramref name="eventName"/> (<paramref name="member"/> relative to "data").</summary>
    public static QmpReplyException ForEvent(string eventName, string? member, bool isMissing, string detail, string rawJson, Exception? inner = null) =>
        new(null, eventName, Join("data", member), isMissing, detail, rawJson, inner);

    /// <summary>The command whose reply this is; null for an event.</summary>
    public string? Command { get; }

    /// <summary>The event whose data this is; null for a reply.</summary>
    public string? EventName { get; }

    /// <summary>Where the problem is: <c>return</c> or <c>data</c>, then members and list indexes (<c>return[0].acpi</c>).</summary>
    public string MemberPath { get; }

    /// <summary>Whether a member the schema makes mandatory was absent (typically: the server is older than the schema).</summary>
    public bool IsMissingMember { get; }

    /// <summary>What the reader found, in the words of the generated reader.</summary>
    public string Detail { get; }

    /// <summary>The return value or event data exactly as the server sent it.</summary>
    public string RawJson { get; }

    /// <summary>The likely cause, in a sentence.</summary>
    public string LikelyCause => IsMissingMember
        ? "The server may be older than the schema: it does not send a member the schema makes mandatory."
        : "The server may be of another version than the schema: it sends a value of another type or range than the schema says.";

    private static string Join(string root, string? member)
    {
        if (string.IsNullOrEmpty(member))
        {
            return root;
        }
        return member![0] == '[' ? root + member : root + "." + member;
    }

    private static string Describe(string? command, string? eventName, string memberPath, bool isMissing, string detail)
    {
        string what = command != null ? $"The reply to '{command}'" : $"Event '{eventName}'";
        string problem = isMissing
            ? $"mandatory member '{memberPath}' is missing"
            : $"'{memberPath}' cannot be read ({detail})";
        string cause = isMissing
            ? "The server may be older than the schema: it does not send a member the schema makes mandatory."
            : "The server may be of another version than the schema: it sends a value of another type or range than the schema says.";
        return $"{what} does not match the client's schema: {problem}. {cause}";
    }
}
