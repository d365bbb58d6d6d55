using System;
using QapiGen.Samples.DeviceApi;

// dotnet run --project samples/DeviceApi -- server ./devices.sock   (until SIGINT or SIGTERM)
// dotnet run --project samples/DeviceApi -- client ./devices.sock
switch (args)
{
    case ["server", string socket]:
        await DeviceServer.RunAsync(socket);
        return 0;
    case ["client", string socket]:
        await DeviceClient.RunAsync(socket);
        return 0;
    default:
        Console.Error.WriteLine("usage: QapiGen.Samples.DeviceApi server|client SOCKET");
        return 2;
}
