using System;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Runtime.Transports;
using QapiGen.Tests.Shared;

namespace QapiGen.Runtime.Tests.Support;

/// <summary>
/// A misbehaving guest agent (a script of <see cref="ScriptedGuestAgent"/>): it answers
/// <c>guest-sync-delimited</c> as qemu-ga does (0xFF, then the reply) unless told to stay silent,
/// never answers the first <c>guest-ping</c>, and sends that ping's reply late, just before the next
/// sync reply, as a guest that was only slow would. Before each sync reply's 0xFF it also sends half
/// a message, which only that 0xFF can end. With <c>closeMidReply</c> it answers the second ping with
/// half a reply and closes; with <c>staleSyncIds</c> it answers every sync with an id other than the
/// one asked for.
/// </summary>
public sealed class FakeGuestAgent : IAsyncDisposable
{
    private readonly ScriptedGuestAgent _agent;
    private readonly bool _answerSync;
    private readonly bool _closeMidReply;
    private readonly bool _staleSyncIds;
    private long? _unanswered;
    private int _pings;
    private int _syncs;

    public FakeGuestAgent(bool answerSync, bool closeMidReply = false, bool staleSyncIds = false)
    {
        _answerSync = answerSync;
        _closeMidReply = closeMidReply;
        _staleSyncIds = staleSyncIds;
        _agent = new ScriptedGuestAgent(AnswerAsync);
    }

    public string Endpoint => _agent.Endpoint;

    /// <summary>Syncs seen so far (each resynchronisation sends one).</summary>
    public int Syncs => Volatile.Read(ref _syncs);

    // One client, one request at a time: the fields are only touched by the agent's serving task.
    private async Task<bool> AnswerAsync(JsonElement request, UnixSocketTransport transport, CancellationToken cancellationToken)
    {
        string command = request.GetProperty("execute").GetString()!;
        if (command == "guest-sync-delimited")
        {
            Interlocked.Increment(ref _syncs);
            if (!_answerSync)
            {
                return true;
            }
            StringBuilder reply = new();
            if (_unanswered is long late)
            {
                reply.Append($"{{\"return\": {{\"late\": true}}, \"id\": {late}}}\n");
                _unanswered = null;
            }
            reply.Append("{\"return\": {\"half\": \"a string the 0xFF cuts ");
            await ScriptedGuestAgent.SendAsync(transport, reply.ToString(), cancellationToken);
            long id = request.GetProperty("arguments").GetProperty("id").GetInt64();
            await transport.SendAsync(new byte[] { 0xFF }, null, cancellationToken);
            await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": {(_staleSyncIds ? id - 1 : id)}}}\n", cancellationToken);
        }
        else if (command == "guest-ping")
        {
            long id = request.GetProperty("id").GetInt64();
            if (++_pings == 1)
            {
                _unanswered = id;
                return true;
            }
            if (_closeMidReply)
            {
                await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": {{\"ping\": {_pings}", cancellationToken);
                return false;
            }
            await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": {{\"ping\": {_pings}}}, \"id\": {id}}}\n", cancellationToken);
        }
        return true;
    }

    public ValueTask DisposeAsync() => _agent.DisposeAsync();
}
