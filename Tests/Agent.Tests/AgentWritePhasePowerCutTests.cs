using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Staging;
using SecureOta.Drivers.Flash;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Power cuts during the agent's write phase (erasing staging, programming the image, the header, the
/// boot request): after each cut the real C boot stage boots the flash as the cut left it and must
/// keep the old image, or install the new one only when the boot request was completely written;
/// then the agent starts over and the update completes. Nothing half-written is ever activated.
/// </summary>
public sealed class AgentWritePhasePowerCutTests
{
    private const int ImageSize = 70_000; // its range in staging holds one aligned 64 KiB block: a block erase is cut too

    // One full staging run's flash operations, counted on a dry run.
    private static (int Staging, int BootState) CountOperations()
    {
        using var rig = new AgentRig();
        Assert.True(rig.Engine().Stage(new MemorySource(rig.DataSet(AgentRig.Image(ImageSize, 1), 7, encrypt: true))).IsOk);
        return (rig.Staging.WriteCount + rig.Staging.BlocksErased, rig.BootState.WriteCount + rig.BootState.BlocksErased);
    }

    public static TheoryData<string, int> CutPoints()
    {
        var (staging, bootState) = CountOperations();
        var data = new TheoryData<string, int>();
        // Every erase, every image write, the header, every boot-state operation.
        for (int k = 0; k < staging; k++) data.Add("staging", k);
        for (int k = 0; k < bootState; k++) data.Add("bootstate", k);
        return data;
    }

    [Theory]
    [MemberData(nameof(CutPoints))]
    public void APowerCutDuringTheWritePhase_NeverActivatesAHalfWrittenImage(string area, int operation)
    {
        using var rig = new AgentRig();
        var dir = Directory.CreateTempSubdirectory("agent-cut-").FullName;
        try
        {
            var boot = new BootSim(rig, dir);
            boot.Configure(6);
            var old = AgentRig.Image(30_000, 2);
            Assert.Equal(FlashStatus.Ok, rig.Deploy.Write(0, old, 0, old.Length));
            var image = AgentRig.Image(ImageSize, 1);
            var dataSet = rig.DataSet(image, 7, encrypt: true);

            var flash = area == "staging" ? rig.Staging : rig.BootState;
            flash.CutPowerAfter(operation);
            var cut = rig.Engine().Stage(new MemorySource(dataSet));
            Assert.False(flash.IsPowered);
            Assert.False(cut.IsOk);
            flash.PowerOn();

            var afterCut = boot.Boot();
            var deploy = new byte[image.Length];
            rig.Deploy.Read(0, deploy, 0, deploy.Length);
            if (afterCut == "boot: nothing pending")
            {
                Assert.Equal(old, deploy[..old.Length]);
                // The agent starts over and completes.
                var again = rig.Engine().Stage(new MemorySource(dataSet));
                Assert.True(again.IsOk, again.ToString());
                Assert.Equal("boot: installed deploy seq=7 (testing)", boot.Boot());
                rig.Deploy.Read(0, deploy, 0, deploy.Length);
            }
            else
            {
                // Only a boot request that was completely written may be acted on.
                Assert.Equal("bootstate", area);
                Assert.Equal("boot: installed deploy seq=7 (testing)", afterCut);
            }

            Assert.Equal(image, deploy);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

/// <summary>The engine fed by the resumable download over a network that drops and lies.</summary>
public sealed class EngineOverNetworkTests
{
    [Fact]
    public void DropsInTheHeaderAndThePayload_StillStageTheExactImage()
    {
        using var rig = new AgentRig();
        var image = AgentRig.Image(150_000, 3);
        var dataSet = rig.DataSet(image, 7, encrypt: true);
        var net = new ScriptedNetwork(dataSet);
        foreach (var c in new long[] { 10, 300, 1200, 5000, 70_000, dataSet.Length - 1 }) net.CutsAt.Add(c);
        var download = new ResumableDownload(net, "http://s/ds", dataSet.Length, new RecordingDelay());
        Assert.True(download.Open());

        var outcome = rig.Engine().Stage(download);
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Equal(6, download.Reconnects);
        Assert.Equal(image, rig.StagedImage(image.Length));
        Assert.NotNull(new BootStateArea(rig.BootState).Current(out _));
    }

    [Fact]
    public void AnArtifactSwappedMidDownload_FailsAsNetwork_AndRequestsNothing()
    {
        using var rig = new AgentRig();
        var dataSet = rig.DataSet(AgentRig.Image(100_000, 4), 7);
        var other = rig.DataSet(AgentRig.Image(100_000, 5), 8);
        var net = new ScriptedNetwork(dataSet) { ReplaceAt = (50_000, other, "\"v2\"") };
        var download = new ResumableDownload(net, "http://s/ds", dataSet.Length, new RecordingDelay());
        Assert.True(download.Open());

        var outcome = rig.Engine().Stage(download);
        Assert.Equal(Update.Flow.UpdateFailure.Network, outcome.Failure);
        Assert.Equal((int)DownloadError.RangeRefused, outcome.Detail);
        Assert.Null(new BootStateArea(rig.BootState).Current(out _));
    }
}
