using System;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Hosting.Tests.Api;
using QapiGen.Runtime.Protocol;

namespace QapiGen.Hosting.Tests;

/// <summary>A service of the host that the handlers depend on.</summary>
public sealed record Salutation(string Text);

/// <summary>What lets a test hold <c>hold</c> running and see how it ended.</summary>
public sealed class HoldGate
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<bool> Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The handlers, built by dependency injection with the services they need.</summary>
public sealed class TestCommands(Salutation salutation, HoldGate gate) : IQapiCommands
{
    public ValueTask<Greeting> GreetAsync(QmpCommandContext context, string name, CancellationToken cancellationToken) =>
        name.Length == 0
            ? throw new QmpException(QmpErrorClass.GenericError, "Nobody to greet")
            : new(new Greeting { Text = $"{salutation.Text}, {name}" });

    public ValueTask CrashAsync(QmpCommandContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a bug in a handler");

    public async ValueTask<Greeting> HoldAsync(QmpCommandContext context, CancellationToken cancellationToken)
    {
        gate.Started.TrySetResult();
        try
        {
            await gate.Release.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            gate.Cancelled.TrySetResult(true);
            throw;
        }
        return new Greeting { Text = "released" };
    }
}
