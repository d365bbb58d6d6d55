using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using QapiGen.GuestAgent.Tests.Support;
using QapiGen.Runtime.Client;
using QapiGen.Tests.Shared;
using Xunit;

namespace QapiGen.GuestAgent.Tests;

/// <summary>A reply is parsed in place from a pooled buffer: that buffer must stay out of the pool while the reply is read.</summary>
[Collection(FdCountingCollection.Name)]
public class ReplyLifetimeTests
{
    [Fact]
    public async Task ReplyBufferIsNotReturnedToThePoolWhileTheReplyIsRead()
    {
        string payload = new('p', 3000);
        await using ScriptedGuestAgent agent = new(async (request, transport, ct) =>
        {
            if (request.GetProperty("execute").GetString() == "guest-sync-delimited")
            {
                await ScriptedGuestAgent.SyncReply(request, transport, ct);
            }
            else
            {
                await ScriptedGuestAgent.SendAsync(transport, $"{{\"return\": {{\"payload\": \"{payload}\"}}, \"id\": {request.GetProperty("id").GetInt64()}}}\n", ct);
            }

            return true;
        });
        await using QgaClient client = await QgaClient.ConnectAsync(agent.Endpoint, new QgaClientOptions { Timeout = TimeSpan.FromSeconds(60) });
        for (int round = 0; round < 20; round++)
        {
            string? seen = await client.ExecuteAsync("guest-info", (object?)null, null, value =>
            {
                // Whatever the pool hands out now, scribbled over: had the reply's buffer gone back
                // already, this would overwrite the reply being read.
                List<byte[]> rented = new();
                for (int size = 16; size <= 1 << 16; size *= 2)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        byte[] b = ArrayPool<byte>.Shared.Rent(size);
                        b.AsSpan().Fill((byte)'{');
                        rented.Add(b);
                    }
                }
                try
                {
                    return value.GetProperty("payload").GetString();
                }
                finally
                {
                    foreach (byte[] b in rented)
                    {
                        ArrayPool<byte>.Shared.Return(b);
                    }
                }
            });
            Assert.Equal(payload, seen);
        }
        Assert.Equal(JsonValueKind.Object, (await client.ExecuteAsync("guest-ping")).ValueKind);
    }
}
