using SecureOta.ChipEmulator;
using SecureOta.Core.Suit;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The update on either part (issue 12): a Trust X decrypts through the ES-DH recipient with its class
/// key (no master secret exists there) and keeps its anti-rollback value in F1D1; a Trust M takes the
/// master-secret recipient; one data set with both recipients installs on both; the C boot stage
/// installs what either staged.
/// </summary>
public sealed class TrustXUpdateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-trustx-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("trust-x", AgentRig.Recipients.EsDh)]
    [InlineData("trust-x", AgentRig.Recipients.Both)]
    [InlineData("trust-m", AgentRig.Recipients.MasterSecret)]
    [InlineData("trust-m", AgentRig.Recipients.Both)]
    [InlineData("trust-m", AgentRig.Recipients.EsDh)]
    public void AnEncryptedDataSet_IsStagedInstalledAndConfirmed(string partName, AgentRig.Recipients recipients)
    {
        using var rig = new AgentRig(part: ChipPart.Named(partName));
        Assert.Equal(partName, rig.Driver.PartName);
        var dir = Directory.CreateDirectory(Path.Combine(_dir, partName + recipients)).FullName;
        var boot = new BootSim(rig, dir);
        boot.Configure(6);
        var image = AgentRig.Image(120_000, 5);
        var staged = rig.Engine().Stage(new MemorySource(rig.DataSet(image, 7, encrypt: true, recipients: recipients)));
        Assert.True(staged.IsOk, staged.ToString());
        Assert.Equal("boot: installed deploy seq=7 (testing)", boot.Boot());
        var installed = new byte[image.Length];
        rig.Deploy.Read(0, installed, 0, installed.Length);
        Assert.Equal(image, installed);
        Assert.True(rig.Engine().ConfirmRunningImage().IsOk);
        Assert.Equal(7, rig.Driver.ReadAntiRollback(out _));
        Assert.Equal("boot: confirmed deploy seq=7", boot.Boot());
    }

    [Fact]
    public void ATrustX_RefusesAMasterSecretOnlyDataSet_ClearlyAndBeforeStaging()
    {
        using var rig = new AgentRig(part: ChipPart.TrustX);
        var outcome = rig.Engine().Stage(new MemorySource(rig.DataSet(AgentRig.Image(10_000, 6), 7, encrypt: true)));
        Assert.Equal((int)SuitError.DecryptionFailed, outcome.Detail);
        Assert.Contains("trust-x needs an ECDH-ES + A128KW recipient", outcome.Message);
        Assert.Equal(0, rig.BootState.WriteCount);
    }

    [Fact]
    public void ATrustXWithAnotherClassKey_DoesNotUnwrap()
    {
        using var rig = new AgentRig(part: ChipPart.TrustX);
        using var other = new AgentRig(part: ChipPart.TrustX);
        var outcome = rig.Engine().Stage(new MemorySource(other.DataSet(AgentRig.Image(10_000, 7), 7, encrypt: true, recipients: AgentRig.Recipients.EsDh)));
        Assert.False(outcome.IsOk);
        Assert.Equal(0, rig.BootState.WriteCount);
    }

    [Fact]
    public void OnATrustX_TheAntiRollbackValueOnlyRises_AndAnOlderDataSetIsRefused()
    {
        using var rig = new AgentRig(part: ChipPart.TrustX);
        Assert.Equal(0, rig.Driver.ReadAntiRollback(out _));
        Assert.True(rig.Driver.RaiseAntiRollback(9).IsOk);
        Assert.True(rig.Driver.RaiseAntiRollback(4).IsOk);         /* lower: nothing written */
        Assert.Equal(9, rig.Driver.ReadAntiRollback(out _));
        Assert.Equal(new byte[] { 0, 0, 0, 9 }, rig.ChipState.Objects[SecurityChip.OidTrustXRollbackValue].Data);
        var outcome = rig.Engine().Stage(new MemorySource(rig.DataSet(AgentRig.Image(10_000, 8), 8, encrypt: true, recipients: AgentRig.Recipients.EsDh)));
        Assert.Equal((int)SuitError.RollbackAttempt, outcome.Detail);
    }
}
