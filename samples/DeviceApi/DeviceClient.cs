using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using QapiGen.Runtime.Protocol;
using QapiGen.Samples.DeviceApi.Qapi;

namespace QapiGen.Samples.DeviceApi;

/// <summary><c>client SOCKET</c>: lists the devices, switches the lamp over, shows the event, and an error.</summary>
public static class DeviceClient
{
    public static async Task RunAsync(string socketPath)
    {
        await using QapiClient client = await QapiClient.ConnectAsync("unix:" + socketPath);
        IReadOnlyList<DeviceInfo> devices = await client.QueryDevicesAsync();
        foreach (DeviceInfo device in devices)
        {
            Console.WriteLine($"{device.Id}: {device.Kind}, {device.Power}, {device.Level}%");
        }

        // Switch the lamp over (on, the first time), with the optional argument.
        DevicePower power = devices.Single(d => d.Id == "lamp0").Power == DevicePower.On ? DevicePower.Off : DevicePower.On;
        DeviceInfo lamp = await client.DeviceSetPowerAsync("lamp0", power, level: 40);
        Console.WriteLine($"set: {lamp.Id} {lamp.Power} at {lamp.Level}%");
        await foreach (QapiEvent received in client.ReadTypedEventsAsync())
        {
            if (received is DevicePowerChangedEvent changed)
            {
                Console.WriteLine($"event: {changed.Id} switched {changed.Power}");
                break;
            }
        }

        try
        {
            await client.DeviceSetPowerAsync("toaster0", DevicePower.On);
        }
        catch (QmpException e)
        {
            Console.WriteLine($"error: {e.ErrorClass}: {e.Description}");
        }
    }
}
