using SecureOta.Agent.Update.Staging;
using SecureOta.DeviceSimulator.Device;
using SecureOta.Drivers.Flash;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The agent's write phase on an A/B board, every flash operation cut (docs/boot-protocol.md, "A/B slots"):
/// the image's erases (aligned 64 KiB blocks included) and writes in the second slot, the journal and header
/// in staging, the boot request. After each cut the real C boot stage boots the flash as the cut left it:
/// the factory image in slot 0 keeps running, or the new one runs from slot 1 only when the request was
/// completely written; then the agent starts over and the update completes. The confirmed slot is never written.
/// </summary>
public sealed class AbWritePhasePowerCutTests
{
    private const int ImageSize = 140_000; // two aligned blocks and a few sectors of the slot

    private static (AgentRig Rig, BootSim Boot, string Dir, byte[] Old) FactoryBoard()
    {
        var rig = new AgentRig(layout: BoardLayout.Ab4Mb);
        var dir = Directory.CreateTempSubdirectory("agent-ab-cut-").FullName;
        var boot = new BootSim(rig, dir);
        boot.Configure(6);
        var old = AgentRig.Image(30_000, 2);
        Assert.Equal(FlashStatus.Ok, rig.Deploy.Write(0, old, 0, old.Length));
        Assert.Equal("boot: nothing pending", boot.Boot()); /* the factory board's first boot writes its record */
        return (rig, boot, dir, old);
    }

    private static Update.Flow.UpdateEngine Engine(AgentRig rig, BootSim boot)
    {
        var engine = rig.Engine(maxImage: BoardLayout.Ab4Mb.DeploySize);
        engine.Slots = new SimSlotHandover(boot.Slots, boot.Home, rig.Flash.Deploy, rig.Flash.DeployB!, rig.Flash.Nanoclr, rig.Flash.NanoclrB!);
        return engine;
    }

    public static TheoryData<string, int> CutPoints()
    {
        var (rig, boot, dir, _) = FactoryBoard();
        try
        {
            int slot0 = rig.Flash.DeployB!.WriteCount + rig.Flash.DeployB.BlocksErased;
            int staging0 = rig.Staging.WriteCount + rig.Staging.BlocksErased, state0 = rig.BootState.WriteCount + rig.BootState.BlocksErased;
            Assert.True(Engine(rig, boot).Stage(new MemorySource(rig.DataSet(AgentRig.Image(ImageSize, 1), 7, encrypt: true))).IsOk);
            var data = new TheoryData<string, int>();
            for (int k = 0; k < rig.Flash.DeployB.WriteCount + rig.Flash.DeployB.BlocksErased - slot0; k++) data.Add("slot", k);
            for (int k = 0; k < rig.Staging.WriteCount + rig.Staging.BlocksErased - staging0; k++) data.Add("staging", k);
            for (int k = 0; k < rig.BootState.WriteCount + rig.BootState.BlocksErased - state0; k++) data.Add("bootstate", k);
            return data;
        }
        finally
        {
            rig.Dispose();
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [MemberData(nameof(CutPoints))]
    public void APowerCutDuringTheWritePhase_NeverActivatesAHalfWrittenImage(string area, int operation)
    {
        var (rig, boot, dir, old) = FactoryBoard();
        try
        {
            var image = AgentRig.Image(ImageSize, 1);
            var dataSet = rig.DataSet(image, 7, encrypt: true);
            var flash = area == "slot" ? rig.Flash.DeployB! : area == "staging" ? rig.Staging : rig.BootState;
            flash.CutPowerAfter(operation);
            Assert.False(Engine(rig, boot).Stage(new MemorySource(dataSet)).IsOk);
            Assert.False(flash.IsPowered);
            flash.PowerOn();

            var afterCut = boot.Boot();
            var running = new byte[old.Length];
            if (afterCut == "boot: nothing pending")
            {
                Assert.Equal(0, boot.Slots & 1);
                rig.Deploy.Read(0, running, 0, running.Length);
                Assert.Equal(old, running);
                var again = Engine(rig, boot).Stage(new MemorySource(dataSet));
                Assert.True(again.IsOk, again.ToString());
                Assert.Equal("boot: installed deploy seq=7 (testing)", boot.Boot());
            }
            else
            {
                Assert.Equal("bootstate", area);
                Assert.Equal("boot: installed deploy seq=7 (testing)", afterCut);
            }

            Assert.Equal(1, boot.Slots & 1);
            var installed = new byte[image.Length];
            rig.Flash.DeployB!.Read(0, installed, 0, installed.Length);
            Assert.Equal(image, installed);
            rig.Deploy.Read(0, running, 0, running.Length);
            Assert.Equal(old, running); /* the confirmed slot was never written */
        }
        finally
        {
            rig.Dispose();
            Directory.Delete(dir, true);
        }
    }
}
