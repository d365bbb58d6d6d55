using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using QapiGen.Hosting.Tests.Api;
using QapiGen.Runtime.Protocol;
using Xunit;

namespace QapiGen.Hosting.Tests;

/// <summary>
/// A dispatcher may answer with a <see cref="ValueTask{TResult}"/> backed by a pooled source, whose
/// result can be read once: the logging wrapper reads it to see whether the command failed, so it must
/// hand on a new one rather than the one it already read.
/// </summary>
public sealed class SingleUseReplyTests
{
    [Fact]
    public async Task ARepliesSourceIsReadOnceThroughTheLoggingWrapper()
    {
        string dir = Directory.CreateTempSubdirectory("qapigen-single-use-").FullName;
        try
        {
            HostApplicationBuilder builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders().AddProvider(new RecordingLoggerProvider()); // logging on: the wrapper reads replies
            builder.Services.AddQmpServer(o => o.Listen("unix:" + Path.Combine(dir, "api.sock")))
                .AddDispatcher(_ => new SingleUseReplies(new QapiDispatcher(new TestCommands(new Salutation("Hello"), new HoldGate()))));
            using IHost host = builder.Build();
            await host.StartAsync();
            await using (QapiClient client = await QapiClient.ConnectAsync("unix:" + Path.Combine(dir, "api.sock")))
            {
                Assert.Equal("Hello, Ada", (await client.GreetAsync("Ada")).Text);
                await Assert.ThrowsAsync<QmpException>(() => client.GreetAsync("")); // a failed one, logged, still answered once
            }
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Answers every command through a source whose result can be taken once, as a pooled one.</summary>
    private sealed class SingleUseReplies(IQmpDispatcher inner) : IQmpDispatcher
    {
        public bool TryGetCommand(string name, out QmpCommandInfo info) => inner.TryGetCommand(name, out info);

        public ValueTask<QmpReply> DispatchAsync(QmpCommandContext context, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
        {
            ValueTask<QmpReply> reply = inner.DispatchAsync(context, arguments, cancellationToken);
            return reply.IsCompletedSuccessfully ? new ValueTask<QmpReply>(new OnceSource(reply.Result), 0) : reply;
        }
    }

    private sealed class OnceSource(QmpReply reply) : IValueTaskSource<QmpReply>
    {
        private int _taken;

        public QmpReply GetResult(short token) =>
            Interlocked.Exchange(ref _taken, 1) == 0 ? reply : throw new InvalidOperationException("the result of a pooled source was read twice");

        public ValueTaskSourceStatus GetStatus(short token) => ValueTaskSourceStatus.Succeeded;

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) => continuation(state);
    }
}
