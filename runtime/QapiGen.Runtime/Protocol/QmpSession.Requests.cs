using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using QapiGen.Runtime.Buffers;
using QapiGen.Runtime.Framing;
using QapiGen.Runtime.Transports;

namespace QapiGen.Runtime.Protocol;

// One frame to one reply: request checks with QEMU's wording, negotiation, dispatch to the
// command, and the reply or error written with the request's id.
public sealed partial class QmpSession
{
    /// <summary>Runs one request; the fds that came with it and were not taken are let go once it has run.</summary>
    private ValueTask ProcessFrameAsync(JsonFrame frame, QmpMessageFds fds, JsonMessageWriter writer)
    {
        ValueTask running;
        try
        {
            if (frame.Error is { } framingError)
            {
                SendError(writer, QmpError.Generic(framingError), default);
                DropFrame(frame, fds);
                return default;
            }
            // A well-formed request needs no document at all: the scan finds its members and
            // hands the dispatcher the bytes of its arguments.
            running = TryScanRequest(frame.Json, out ScannedRequest request)
                ? RunCommandAsync(request.Command, request.OutOfBand, request.Arguments, request.Id, writer, fds)
                : ProcessDocumentAsync(frame.Json, writer, fds);
        }
        catch
        {
            DropFrame(frame, fds);
            throw;
        }
        if (!running.IsCompletedSuccessfully)
        {
            return FinishFrameAsync(running, frame, fds);
        }
        DropFrame(frame, fds); // the command is done with the request's bytes (its id, its arguments) and fds
        running.GetAwaiter().GetResult();
        AfterFrame();
        return default;
    }

    private async ValueTask FinishFrameAsync(ValueTask running, JsonFrame frame, QmpMessageFds fds)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        finally
        {
            DropFrame(frame, fds);
        }
        AfterFrame();
    }

    private void AfterFrame()
    {
        if (_closeAfterReply && !_finishing)
        {
            FinishAfterReply();
        }
    }

    /// <summary>
    /// The general request path, for requests the scan did not accept (those with an error to
    /// report, duplicate members, escaped names): parse the whole request, then check it as QEMU does.
    /// </summary>
    private async ValueTask ProcessDocumentAsync(ReadOnlyMemory<byte> json, JsonMessageWriter writer, QmpMessageFds fds)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, _documentOptions);
        }
        catch (JsonException ex)
        {
            // Not expected: the splitter hands over valid UTF-8 JSON with standard escapes only.
            SendError(writer, QmpError.Generic("JSON parse error, " + FirstSentence(ex.Message)), default);
            return;
        }
        using (document)
        {
            await ProcessRequestAsync(document.RootElement, json, writer, fds).ConfigureAwait(false);
        }
    }

    private async ValueTask ProcessRequestAsync(JsonElement root, ReadOnlyMemory<byte> json, JsonMessageWriter writer, QmpMessageFds fds)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            SendError(writer, QmpError.Generic("QMP input must be a JSON object"), default);
            return;
        }

        // QEMU picks the id up before checking anything else, so every later error carries it.
        ReadOnlyMemory<byte> id = root.TryGetProperty("id"u8, out JsonElement idElement)
            ? RawSlice(json, idElement)
            : default;

        string? command = null;
        bool outOfBand = false;
        JsonElement arguments = default;
        foreach (JsonProperty member in root.EnumerateObject())
        {
            if (CheckMember(member, ref command, ref outOfBand, ref arguments) is { } error)
            {
                // With several bad members, QEMU reports the first in its QDict's order.
                string? ignoredCommand = null;
                bool ignoredOob = false;
                JsonElement ignoredArguments = default;
                foreach (JsonProperty inOrder in QdictOrder.Members(root))
                {
                    if (CheckMember(inOrder, ref ignoredCommand, ref ignoredOob, ref ignoredArguments) is { } first)
                    {
                        error = first;
                        break;
                    }
                }
                SendError(writer, QmpError.Generic(error), id.Span);
                return;
            }
        }
        if (command is null)
        {
            SendError(writer, QmpError.Generic("QMP input lacks member 'execute'"), id.Span);
            return;
        }
        ReadOnlyMemory<byte> rawArguments = arguments.ValueKind == JsonValueKind.Undefined ? EmptyArguments : RawSlice(json, arguments);
        await RunCommandAsync(command, outOfBand, rawArguments, id, writer, fds).ConfigureAwait(false);
    }

    /// <summary>QEMU's check of one request member (qmp_dispatch_check_obj): null, or the error text.</summary>
    private string? CheckMember(JsonProperty member, ref string? command, ref bool outOfBand, ref JsonElement arguments)
    {
        bool isExecute = member.NameEquals("execute"u8);
        if (isExecute || (_oobEnabled && member.NameEquals("exec-oob"u8)))
        {
            if (member.Value.ValueKind != JsonValueKind.String)
            {
                return $"QMP input member '{member.Name}' must be a string";
            }
            // Both present (only possible with oob enabled) is an error, not a choice:
            // qmp_is_oob() requires 'execute' absent only to route the request in-band, where
            // the member check then refuses the second of the two it meets, whichever it is.
            // The same key twice is a duplicate key, which the host accepts (the last wins).
            if (command is not null && outOfBand == isExecute)
            {
                return "QMP input member 'execute' clashes with 'exec-oob'";
            }
            command = member.Value.GetString();
            outOfBand = !isExecute;
        }
        else if (member.NameEquals("arguments"u8))
        {
            if (member.Value.ValueKind != JsonValueKind.Object)
            {
                return "QMP input member 'arguments' must be an object";
            }
            arguments = member.Value;
        }
        else if (!member.NameEquals("id"u8))
        {
            return $"QMP input member '{member.Name}' is unexpected";
        }
        return null;
    }

    /// <summary>Runs a request that passed the protocol checks and sends its reply.</summary>
    private ValueTask RunCommandAsync(string command, bool outOfBand, ReadOnlyMemory<byte> arguments, ReadOnlyMemory<byte> id, JsonMessageWriter writer, QmpMessageFds fds)
    {
        QmpReply reply;
        if (IsGuestAgent && TryAnswerGuestAgentSync(command, arguments, out reply))
        {
            // guest-sync or guest-sync-delimited that the dispatcher does not define (QmpSession.GuestAgent.cs).
        }
        else if (command == "qmp_capabilities" && !IsGuestAgent)
        {
            reply = Negotiate(arguments.Span);
        }
        else if (!_negotiated)
        {
            // QEMU rewrites any CommandNotFound in negotiation mode into this hint.
            reply = new QmpError(QmpErrorClass.CommandNotFound, "Expecting capabilities negotiation with 'qmp_capabilities'");
        }
        else if (!_dispatcher.TryGetCommand(command, out QmpCommandInfo info))
        {
            reply = QmpError.CommandNotFound(command);
        }
        else if (outOfBand && !info.AllowOob)
        {
            reply = QmpError.Generic($"The command {command} does not support OOB");
        }
        else if (fds.Rejection == FdRejection.TooMany)
        {
            reply = QmpError.Generic($"Too many file descriptors passed with one message (at most {_transport.MaxFdsPerMessage})");
        }
        else if (fds.Rejection == FdRejection.NoRoom)
        {
            reply = QmpError.Generic($"File descriptors passed with this message could not be kept: the server is running out of file descriptors (RLIMIT_NOFILE {Common.FdHeadroom.Limit})");
        }
        else if (_options.CommandGate?.Invoke(this, info) is { } refused)
        {
            reply = refused;
        }
        else
        {
            QmpCommandContext context = new(this, info, outOfBand, id, fds);
            ValueTask<QmpReply> dispatched;
            try
            {
                dispatched = _dispatcher.DispatchAsync(context, arguments, _closing.Token);
            }
            catch (Exception ex)
            {
                dispatched = ValueTask.FromException<QmpReply>(ex);
            }
            if (!dispatched.IsCompletedSuccessfully)
            {
                return FinishDispatchAsync(dispatched, context, id, writer);
            }
            CompleteCommand(dispatched.Result, context, id.Span, writer);
            return default;
        }
        SendReply(reply, id.Span, writer);
        return default;
    }

    /// <summary>The rest of <see cref="RunCommandAsync"/> for a command that did not finish at once (or failed).</summary>
    private async ValueTask FinishDispatchAsync(ValueTask<QmpReply> dispatched, QmpCommandContext context, ReadOnlyMemory<byte> id, JsonMessageWriter writer)
    {
        QmpReply reply;
        try
        {
            reply = await dispatched.ConfigureAwait(false);
        }
        catch (QmpException ex)
        {
            reply = ex.Error;
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            reply = QmpReply.NoResponse;
        }
        catch (Exception ex)
        {
            _options.UnhandledException?.Invoke(this, context.Command.Name, ex);
            reply = QmpError.Generic(ex.Message);
        }
        CompleteCommand(reply, context, id.Span, writer);
    }

    /// <summary>Sends a dispatched command's reply, then runs what it asked to run after its reply.</summary>
    private void CompleteCommand(in QmpReply reply, QmpCommandContext context, ReadOnlySpan<byte> id, JsonMessageWriter writer)
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }
        SendReply(reply, id, writer);
        if (!context.HasAfterReply)
        {
            return;
        }
        if (_stagedReply is { } staged && ReferenceEquals(writer, _inBandWriter))
        {
            // What the callbacks send must follow the reply: queue the reply first.
            _stagedReply = null;
            Enqueue(staged);
        }
        try
        {
            context.RunAfterReply();
        }
        catch (Exception ex)
        {
            _options.UnhandledException?.Invoke(this, context.Command.Name + " (after reply)", ex);
        }
    }

    private void SendReply(in QmpReply reply, ReadOnlySpan<byte> id, JsonMessageWriter writer)
    {
        if (reply.IsError)
        {
            SendError(writer, reply.Error!, id);
        }
        else if (!reply.IsNoResponse)
        {
            SendReturn(writer, reply, id);
        }
    }

    /// <summary>qmp_capabilities, with QEMU's argument checking and texts, read from the arguments' bytes.</summary>
    private QmpReply Negotiate(ReadOnlySpan<byte> arguments)
    {
        if (_negotiated)
        {
            return new QmpError(QmpErrorClass.CommandNotFound, "Capabilities negotiation is already complete, command ignored");
        }
        bool enableOob = false;
        // The arguments are a well-formed object (framed, then checked by the request scan or parse).
        Utf8JsonReader reader = new(arguments, new JsonReaderOptions { MaxDepth = _documentOptions.MaxDepth });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("enable"u8))
            {
                return QmpError.ParameterUnexpected(reader.GetString()!);
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return QmpError.InvalidParameterType("enable", "array");
            }
            int index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    return QmpError.InvalidParameterType($"enable[{index}]", "string");
                }
                string capability = reader.GetString()!;
                if (capability != QmpCapabilities.Oob)
                {
                    return QmpError.InvalidEnumValue(null, capability);
                }
                bool offered = false;
                foreach (string c in _options.Capabilities)
                {
                    offered |= c == capability;
                }
                if (!offered)
                {
                    return QmpError.Generic($"Capability '{capability}' not available");
                }
                enableOob = true;
                index++;
            }
        }
        _oobEnabled = enableOob;
        RunNegotiatedCallbacks();
        return QmpReply.Empty;
    }

    private void SendReturn(JsonMessageWriter writer, in QmpReply reply, ReadOnlySpan<byte> id)
    {
        PooledBufferWriter buffer;
        try
        {
            QmpMessages.WriteReturn(writer.Begin(validate: !reply.IsWellFormedByConstruction), reply, id);
            buffer = writer.Finish();
            buffer = WithSyncDelimiter(buffer);
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException or ArgumentException)
        {
            // A return value that cannot be written is the server's bug; say so instead of hanging.
            writer.Abort();
            SendError(writer, QmpError.Generic("Internal error: " + ex.Message), id);
            return;
        }
        EnqueueReply(writer, new Outgoing(buffer.WrittenMemory, buffer, null));
    }

    private void SendError(JsonMessageWriter writer, QmpError error, ReadOnlySpan<byte> id)
    {
        QmpMessages.WriteError(writer.Begin(validate: false), error, id);
        PooledBufferWriter buffer = writer.Finish();
        EnqueueReply(writer, new Outgoing(buffer.WrittenMemory, buffer, null));
    }

    /// <summary>After the closing command's reply is queued: stop taking input, flush, end.</summary>
    private void FinishAfterReply()
    {
        _finishing = true;
        try
        {
            _stopReading.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        _inBand.Writer.TryComplete();
    }

    /// <summary>The raw bytes of <paramref name="element"/> as a slice of the message (no copy).</summary>
    private static ReadOnlyMemory<byte> RawSlice(ReadOnlyMemory<byte> json, JsonElement element)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        ReadOnlySpan<byte> all = json.Span;
        nint offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(all), ref MemoryMarshal.GetReference(raw));
        if (offset >= 0 && offset + raw.Length <= all.Length)
        {
            return json.Slice((int)offset, raw.Length);
        }
        return raw.ToArray();
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
