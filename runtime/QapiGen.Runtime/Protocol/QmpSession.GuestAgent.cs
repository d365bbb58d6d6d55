using System;
using System.Buffers;
using System.Text.Json;
using QapiGen.Runtime.Buffers;

namespace QapiGen.Runtime.Protocol;

// The guest-agent dialect (QmpDialect.GuestAgent): what differs from QMP, in one place. The rest of
// the session (framing, request checks, dispatch, replies) is the same for both dialects.
public sealed partial class QmpSession
{
    private const string GuestSync = "guest-sync";
    private const string GuestSyncDelimited = "guest-sync-delimited";

    /// <summary>The byte qemu-ga writes before a <c>guest-sync-delimited</c> reply; never part of JSON text.</summary>
    private const byte SyncDelimiter = 0xFF;

    // Set while a guest-sync-delimited request runs: its successful reply gets the delimiter.
    // In-band requests run one at a time and the dialect has no out-of-band ones, so the reply
    // written next with a return value is this command's.
    private bool _delimitReturn;

    private bool IsGuestAgent => _options.Dialect == QmpDialect.GuestAgent;

    /// <summary>
    /// Where QMP sends its greeting: a guest-agent session sends nothing and is in command mode
    /// at once (there is no negotiation, and no events to register for).
    /// </summary>
    private bool StartsWithoutGreeting()
    {
        if (!IsGuestAgent)
        {
            return false;
        }
        _negotiated = true;
        return true;
    }

    /// <summary>
    /// Runs for every command of a guest-agent session. Answers <c>guest-sync</c> and
    /// <c>guest-sync-delimited</c> when the dispatcher does not define them: both return their
    /// <c>id</c> argument, checked with QAPI's wording for an <c>'int'</c> member, so any agent
    /// resynchronises correctly without a handler. A dispatcher that defines them answers them
    /// itself (its schema lists them, say); the delimiter is added to its reply all the same.
    /// </summary>
    private bool TryAnswerGuestAgentSync(string command, ReadOnlyMemory<byte> arguments, out QmpReply reply)
    {
        _delimitReturn = command == GuestSyncDelimited;
        if ((command != GuestSync && !_delimitReturn) || _dispatcher.TryGetCommand(command, out _))
        {
            reply = default;
            return false;
        }
        // A rare request: parsed whole, as the arguments of 'gen': false commands are.
        using (JsonDocument document = JsonDocument.Parse(arguments))
        {
            reply = SyncReply(document.RootElement);
        }
        return true;
    }

    /// <summary>The sync commands' argument check and reply, in qemu-ga's order: 'id' first, then unexpected members.</summary>
    private static QmpReply SyncReply(JsonElement arguments)
    {
        if (!arguments.TryGetProperty("id"u8, out JsonElement idElement))
        {
            return QmpError.ParameterMissing("id");
        }
        if (idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out long id))
        {
            return QmpError.InvalidParameterType("id", "integer");
        }
        foreach (JsonProperty member in arguments.EnumerateObject())
        {
            if (!member.NameEquals("id"u8))
            {
                return QmpError.ParameterUnexpected(member.Name);
            }
        }
        return QmpReply.FromWriter(id, static (writer, value) => writer.WriteNumberValue(value));
    }

    /// <summary>Puts the delimiter before the reply of the <c>guest-sync-delimited</c> now running, if any.</summary>
    private PooledBufferWriter WithSyncDelimiter(PooledBufferWriter reply)
    {
        if (!_delimitReturn)
        {
            return reply;
        }
        _delimitReturn = false;
        PooledBufferWriter delimited = new(reply.WrittenCount + 1);
        delimited.Write([SyncDelimiter]);
        delimited.Write(reply.WrittenSpan);
        reply.Dispose();
        return delimited;
    }
}
