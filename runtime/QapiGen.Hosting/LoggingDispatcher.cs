using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Hosting;

/// <summary>
/// The served command table, logging each command that fails with a QMP error, whether the
/// table returned the error (argument checks) or a handler threw <see cref="QmpException"/>.
/// Other exceptions are the session's to report (<see cref="QmpSessionOptions.UnhandledException"/>),
/// so they are logged once, at Error, there.
/// </summary>
internal sealed class LoggingDispatcher(IQmpDispatcher inner, ILogger logger) : IQmpDispatcher
{
    public bool TryGetCommand(string name, out QmpCommandInfo info) => inner.TryGetCommand(name, out info);

    public ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return inner.DispatchAsync(context, arguments, cancellationToken);
        }
        ValueTask<QmpReply> dispatched;
        try
        {
            dispatched = inner.DispatchAsync(context, arguments, cancellationToken);
        }
        catch (QmpException ex)
        {
            LogFailure(context, ex.Error);
            throw;
        }
        if (!dispatched.IsCompletedSuccessfully)
        {
            return AwaitAsync(dispatched, context);
        }
        // A ValueTask is read once: its result is taken here and handed on as a new one (one
        // backed by a pooled source must not be awaited again after its result was read).
        QmpReply reply = dispatched.Result;
        if (reply.Error is { } error)
        {
            LogFailure(context, error);
        }
        return new ValueTask<QmpReply>(reply);
    }

    private async ValueTask<QmpReply> AwaitAsync(ValueTask<QmpReply> dispatched, QmpCommandContext context)
    {
        try
        {
            QmpReply reply = await dispatched.ConfigureAwait(false);
            if (reply.Error is { } error)
            {
                LogFailure(context, error);
            }
            return reply;
        }
        catch (QmpException ex)
        {
            LogFailure(context, ex.Error);
            throw;
        }
    }

    private void LogFailure(QmpCommandContext context, QmpError error) =>
        Log.CommandFailed(logger, context.Session.Id, context.Command.Name, error.Class, error.Description);
}
