using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Generated.Tests.Qapi;
using QapiGen.Runtime.Protocol;
using QapiGen.Runtime.Server;
using QapiGen.Runtime.Transports;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>The generated client against the generated dispatcher, over a real unix socket session.</summary>
public class ClientTests
{
    /// <summary>Runs <paramref name="body"/> with a client connected to a session over a fresh unix socket.</summary>
    internal static async Task WithServer(Func<QapiClient, QmpEventHub, Handlers, Task> body)
    {
        string path = Path.Combine(Path.GetTempPath(), "qapigen-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".sock");
        var handlers = new Handlers();
        var hub = new QmpEventHub();
        await using var listener = QmpListener.Create("unix:" + path);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var server = Task.Run(async () =>
        {
            QmpTransport transport = await listener.AcceptAsync(cts.Token);
            await using var session = new QmpSession(transport, new QapiDispatcher(handlers));
            session.OnNegotiated(hub.Subscribe);
            try
            {
                await session.RunAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        try
        {
            await using (QapiClient client = await QapiClient.ConnectAsync("unix:" + path, cancellationToken: cts.Token))
            {
                await body(client, hub, handlers);
            }

            await server.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public Task TypedCallsRoundTrip() => WithServer(async (client, hub, handlers) =>
    {
        FdLikeInfo info = await client.AddFdLikeAsync(fdsetId: 7);
        Assert.Equal(7, info.FdsetId);
        Assert.Equal(42, info.Fd);

        Widget echoed = await client.EchoStructAsync(new Widget { Name = "n", Id = 1, Tags = ["t"], Color = Color.Blue });
        Assert.Equal(["t"], echoed.Tags);
        Assert.Equal(Color.Blue, echoed.Color);

        ShapeInfo area = await client.RunShapeAsync(new Shape.Square { Side = 3 });
        Assert.Equal(9, area.Area);

        IReadOnlyList<Thing> things = await client.QueryThingsAsync();
        Assert.Equal(2, things.Count);
        Assert.Equal(2UL, things[1].Count);

        await client.TakeValueAsync(value: 1.5, list: [Color.Red]);
        Assert.Contains("take-value Num - - - Red", handlers.Calls);
    });

    [Fact]
    public Task ErrorsSurfaceAsQmpException() => WithServer(async (client, hub, handlers) =>
    {
        QmpException e = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("add-fd-like", System.Text.Json.JsonDocument.Parse("""{"fdset-id":"x"}""").RootElement));
        Assert.Equal("GenericError", e.ErrorClass);
        Assert.Equal("Invalid parameter type for 'fdset-id', expected: integer", e.Description);
    });

    [Fact]
    public Task EventsAreTyped() => WithServer(async (client, hub, handlers) =>
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.TakeValueAsync(value: true);     // the handler emits WIDGET_CHANGED from the command context
        hub.EmitStopped();
        hub.EmitShapeEvent(new Shape.Circle { Radius = 2 });
        IAsyncEnumerator<QapiEvent> events = client.ReadTypedEventsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());
        WidgetChangedEvent changed = Assert.IsType<WidgetChangedEvent>(events.Current);
        Assert.Equal("w1", changed.Id);
        Assert.Equal(Color.Green, changed.Color);
        Assert.NotNull(changed.Timestamp);
        Assert.True(await events.MoveNextAsync());
        Assert.IsType<StoppedEvent>(events.Current);
        Assert.True(await events.MoveNextAsync());
        ShapeEventEvent shape = Assert.IsType<ShapeEventEvent>(events.Current);
        Assert.Equal(2.0, Assert.IsType<Shape.Circle>(shape.Data).Radius);
        await events.DisposeAsync();
    });
}
