using System;
using System.Threading.Tasks;
using QapiGen.Migration.Control;
using QapiGen.Migration.Machine;
using QapiGen.Migration.Transports;
using Xunit;

namespace QapiGen.Migration.Tests;

/// <summary>Runs a source and a destination job together and checks the result.</summary>
internal static class Pair
{
    public static async Task<(MigrationJob Out, MigrationJob In)> RunAsync(MachineState source, MigrationTransport outgoing,
        MachineState destination, MigrationTransport incoming, MigrationOptions? options = null)
    {
        MigrationJob incomingJob = MigrationJob.StartIncoming(destination, incoming, options);
        MigrationJob outgoingJob = MigrationJob.StartOutgoing(source, outgoing, options);
        MigrationStatus sent = await outgoingJob.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        MigrationStatus received = await incomingJob.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(sent == MigrationStatus.Completed, $"source: {sent} {outgoingJob.ErrorDescription}");
        Assert.True(received == MigrationStatus.Completed, $"destination: {received} {incomingJob.ErrorDescription}");
        return (outgoingJob, incomingJob);
    }

    public static void AssertMigrated(MachineState source, MachineState destination)
    {
        TestMachines.AssertSameRam(source.Ram, destination.Ram);
        TestMachines.AssertSameDevices(source, destination);
        Assert.Equal(RunState.PostMigrate, source.RunState);
        Assert.Equal(RunState.Paused, destination.RunState);
    }
}
