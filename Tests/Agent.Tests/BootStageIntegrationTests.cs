using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The C# agent and the C boot stage agree on the staging layout and the boot-state records: the agent
/// stages into flash laid out like the 4 MB board, bootsim boots that flash, the agent confirms, bootsim
/// completes the confirmation, and the chip's counter follows.
/// </summary>
public sealed class BootStageIntegrationTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-boot-").FullName;
    private readonly BootSim _boot;

    public BootStageIntegrationTests() => _boot = new BootSim(_rig, _dir);

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    private string Boot() => _boot.Boot();

    [Fact]
    public void TheAgentStages_TheBootStageInstalls_TheAgentConfirms()
    {
        _boot.Configure(6);
        var image = AgentRig.Image(200_000, 21);
        var staged = _rig.Engine().Stage(new MemorySource(_rig.DataSet(image, 7, encrypt: true)));
        Assert.True(staged.IsOk, staged.ToString());

        Assert.Equal("boot: installed deploy seq=7 (testing)", Boot());
        var installed = new byte[image.Length];
        _rig.Deploy.Read(0, installed, 0, installed.Length);
        Assert.Equal(image, installed);

        var confirm = _rig.Engine().ConfirmRunningImage();
        Assert.True(confirm.IsOk, confirm.ToString());
        Assert.Equal(7, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
        Assert.Equal("boot: confirmed deploy seq=7", Boot());
        Assert.Equal("boot: nothing pending", Boot());
    }

    [Fact]
    public void AnImageThatIsNotConfirmed_IsRevertedByTheBootStage()
    {
        _boot.Configure(6);
        var old = AgentRig.Image(50_000, 30);
        _rig.Deploy.Write(0, old, 0, old.Length);
        Assert.True(_rig.Engine().Stage(new MemorySource(_rig.DataSet(AgentRig.Image(60_000, 31), 7))).IsOk);
        Assert.Equal("boot: installed deploy seq=7 (testing)", Boot());
        Assert.Equal("boot: reverted deploy to seq=6 (not confirmed)", Boot());
        var back = new byte[old.Length];
        _rig.Deploy.Read(0, back, 0, back.Length);
        Assert.Equal(old, back);
        Assert.Equal(0, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
    }

    [Fact]
    public void ConsecutiveUpdates_OverAStagingThatStillHoldsTheLastSwap_InstallExactlyEachImage()
    {
        // Staging is erased only where the next image and header go: whatever the last swap left in
        // the rest of it must not matter, whether the next image is smaller or larger.
        _boot.Configure(6);
        long sequence = 7;
        foreach (var size in new[] { 300_000, 90_000, 250_000 })
        {
            var image = AgentRig.Image(size, size);
            int erasesBefore = _rig.Staging.BlocksErased;
            var staged = _rig.Engine().Stage(new MemorySource(_rig.DataSet(image, sequence, encrypt: true)));
            Assert.True(staged.IsOk, staged.ToString());
            Assert.Equal(AgentRig.StagingErases(size), _rig.Staging.BlocksErased - erasesBefore);
            Assert.Equal($"boot: installed deploy seq={sequence} (testing)", Boot());
            var installed = new byte[size];
            _rig.Deploy.Read(0, installed, 0, size);
            Assert.Equal(image, installed);
            Assert.True(_rig.Engine().ConfirmRunningImage().IsOk);
            Assert.Equal($"boot: confirmed deploy seq={sequence}", Boot());
            sequence++;
        }
    }
}
