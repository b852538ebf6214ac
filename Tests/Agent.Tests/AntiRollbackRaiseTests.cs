using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Raising the Trust M's anti-rollback counter (SecurityChip.RaiseAntiRollback): one read and one
/// SetDataObject(count) when the step fits a command, the chip's success being the proof; longer jumps in
/// steps of 255; the chip's threshold refusal (0x0E) comes back as a failure with the counter unchanged.
/// </summary>
public sealed class AntiRollbackRaiseTests
{
    [Fact]
    public void AStepThatFits_IsOneReadAndOneWrite()
    {
        using var rig = new AgentRig(shielded: true);
        long before = rig.Chip.Application.Commands;
        Assert.True(rig.Driver.RaiseAntiRollback(7).IsOk);
        Assert.Equal(2, rig.Chip.Application.Commands - before);
        Assert.Equal(7, rig.Driver.ReadAntiRollback(out _));
    }

    [Fact]
    public void ALongJump_GoesInStepsOf255_ToExactlyTheTarget()
    {
        using var rig = new AgentRig();
        Assert.True(rig.Driver.RaiseAntiRollback(600).IsOk);
        Assert.Equal(600, rig.Driver.ReadAntiRollback(out _));
        Assert.True(rig.Driver.RaiseAntiRollback(12).IsOk); /* lower: nothing written */
        Assert.Equal(600, rig.Driver.ReadAntiRollback(out _));
    }

    [Fact]
    public void PastTheThreshold_TheChipRefuses_AndTheCounterStays()
    {
        using var rig = new AgentRig();
        var counter = rig.ChipState.Objects[SecurityChip.OidRollbackCounter].Data;
        counter[4] = 0; counter[5] = 0; counter[6] = 0; counter[7] = 5; /* threshold 5 */
        var result = rig.Driver.RaiseAntiRollback(6);
        Assert.False(result.IsOk);
        Assert.Equal(0, rig.Driver.ReadAntiRollback(out _));
    }
}
