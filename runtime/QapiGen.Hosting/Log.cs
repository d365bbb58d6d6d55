using System;
using Microsoft.Extensions.Logging;

namespace QapiGen.Hosting;

/// <summary>
/// What a hosted QMP server logs. A command failing with a QMP error is an answer the protocol
/// defines (a missing device, a bad argument), the client's business: Information, so a client
/// cannot flood the warnings. An exception that is not a <c>QmpException</c> is a bug: Error.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "QMP server listening on {Endpoint}, {MaxClients} clients at once")]
    public static partial void Listening(ILogger logger, string endpoint, int maxClients);

    [LoggerMessage(2, LogLevel.Information, "QMP session {SessionId} opened ({Connection})")]
    public static partial void SessionOpened(ILogger logger, long sessionId, string connection);

    [LoggerMessage(3, LogLevel.Information, "QMP session {SessionId} closed")]
    public static partial void SessionClosed(ILogger logger, long sessionId);

    [LoggerMessage(4, LogLevel.Information, "QMP session {SessionId}: {Command} failed: {ErrorClass}: {Description}")]
    public static partial void CommandFailed(ILogger logger, long sessionId, string command, string errorClass, string description);

    [LoggerMessage(5, LogLevel.Error, "QMP session {SessionId}: unexpected exception in {Where}")]
    public static partial void UnexpectedException(ILogger logger, long sessionId, string where, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "QMP server stopping: running commands finish and reply")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(7, LogLevel.Information, "QMP server stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(8, LogLevel.Warning, "QMP server stop timed out: the sessions still running a command were closed, their replies dropped")]
    public static partial void StopTimedOut(ILogger logger);
}
