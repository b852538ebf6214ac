using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>The chip session across a failed and a resumed staging, then a host reboot (new driver, same chip powered throughout).</summary>
public sealed class ChipSessionTests : IDisposable
{
    private readonly AgentRig _rig = new(shielded: true);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void AfterAnInterruptedAndResumedStaging_ARebootedHostOpensTheChip()
    {
        var image = AgentRig.Image(300_000, 5);
        var dataSet = _rig.DataSet(image, 1, encrypt: true);
        Assert.False(_rig.Engine().Stage(new MemorySource(dataSet, failAfter: 213_000, validator: "\"v\"")).IsOk);
        var resumed = _rig.Engine().Stage(new MemorySource(dataSet, validator: "\"v\""));
        Assert.True(resumed.IsOk, resumed.ToString());

        var rebooted = new SecurityChip(_rig.Chip, _rig.Clock);
        rebooted.EnableShieldedConnection(_rig.ChipState.Objects[SecureOta.ChipEmulator.ChipState.OidPlatformBinding].Data,
            new SecureOta.Core.Crypto.Sha256(), new SecureOta.Core.Crypto.ManagedAesFactory());
        // Open alone would speak to a data link still numbering the old session's frames (the chip
        // answers the "retransmission" with its last response); the warm reset the board does at start
        // brings both sides to frame 0.
        var open = rebooted.Reset();
        Assert.True(open.IsOk, open.ToString());
        Assert.True(rebooted.ReadCounter(SecurityChip.OidRollbackCounter, out _) >= 0);
    }
}
