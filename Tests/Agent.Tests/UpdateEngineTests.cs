using System.Security.Cryptography;
using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Staging;
using SecureOta.Core.Suit;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>The update engine: the happy paths, every attack refused before staging is touched, faults.</summary>
public sealed class UpdateEngineTests : IDisposable
{
    private readonly AgentRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private void AssertStagingUntouched()
    {
        Assert.Equal(0, _rig.Staging.WriteCount);
        Assert.Equal(0, _rig.Staging.BlocksErased);
        Assert.Equal(0, _rig.BootState.WriteCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ADataSet_IsStaged_AndTheBootStageIsAsked(bool encrypted)
    {
        var image = AgentRig.Image(150_001, 1);
        var outcome = _rig.Engine().Stage(new MemorySource(_rig.DataSet(image, 7, encrypted)));
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Equal(7, outcome.Sequence);
        Assert.Equal(image, _rig.StagedImage(image.Length));
        var request = new BootStateArea(_rig.BootState).Current(out _);
        Assert.NotNull(request);
        Assert.Equal(BootStateRecord.StateRequested, request!.State);
        Assert.Equal(7, request.ImageSeq);
        Assert.Equal((uint)image.Length, request.ImageSize);
        Assert.Equal(BootStateRecord.ComponentDeploy, request.Component);
        Assert.True(_rig.Clock.NowMicroseconds >= SecureOta.ChipEmulator.ChipPart.TrustM.Durations.VerifyUs, "the chip verified the signature");
    }

    [Fact]
    public void ATamperedManifest_IsRefusedBeforeStaging()
    {
        var dataSet = _rig.DataSet(AgentRig.Image(10_000, 2), 7);
        dataSet[200] ^= 0x01;
        var outcome = _rig.Engine().Stage(new MemorySource(dataSet));
        Assert.Equal(UpdateFailure.DataSetRejected, outcome.Failure);
        AssertStagingUntouched();
    }

    [Fact]
    public void TheWrongKey_IsRefusedByTheChip_BeforeStaging()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var outcome = _rig.Engine().Stage(new MemorySource(_rig.DataSet(AgentRig.Image(10_000, 3), 7, key: other)));
        Assert.Equal(UpdateFailure.DataSetRejected, outcome.Failure);
        Assert.Equal((int)SuitError.BadSignature, outcome.Detail);
        AssertStagingUntouched();
    }

    [Fact]
    public void AnOlderSequenceNumber_IsARollback_AgainstTheChipsCounter()
    {
        Assert.True(_rig.Driver.AdvanceCounter(SecurityChip.OidRollbackCounter, 9).IsOk);
        var outcome = _rig.Engine().Stage(new MemorySource(_rig.DataSet(AgentRig.Image(10_000, 4), 9)));
        Assert.Equal((int)SuitError.RollbackAttempt, outcome.Detail);
        AssertStagingUntouched();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnApplicationNeedingANewerFirmware_IsRefused_BeforeAnyStagingWrite(bool encrypt)
    {
        var dataSet = _rig.DataSet(AgentRig.Image(10_000, 4), 7, encrypt, requiresFirmware: [1, 12, 0]);
        var outcome = _rig.Engine(firmwareVersion: [1, 11, 9, 200]).Stage(new MemorySource(dataSet));
        Assert.Equal(UpdateFailure.DataSetRejected, outcome.Failure);
        Assert.Equal((int)SuitError.FirmwareTooOld, outcome.Detail);
        Assert.Contains("requires firmware 1.12.0 or newer; this device runs 1.11.9.200", outcome.Message);
        AssertStagingUntouched();
        // Unknown firmware version: refused as well (fail closed).
        Assert.Equal((int)SuitError.FirmwareTooOld, _rig.Engine().Stage(new MemorySource(dataSet)).Detail);
        AssertStagingUntouched();
    }

    [Theory]
    [InlineData(false, new long[] { 1, 12 })]
    [InlineData(true, new long[] { 1, 12, 0, 7 })]
    [InlineData(false, new long[] { 2 })]
    public void AnApplicationWhoseFirmwareDependencyHolds_IsStaged(bool encrypt, long[] running)
    {
        var image = AgentRig.Image(10_000, 4);
        var outcome = _rig.Engine(firmwareVersion: running).Stage(new MemorySource(_rig.DataSet(image, 7, encrypt, requiresFirmware: [1, 12, 0])));
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Equal(image, _rig.StagedImage(image.Length));
    }

    [Fact]
    public void AnotherDeviceClass_IsRefused()
    {
        var outcome = _rig.Engine().Stage(new MemorySource(_rig.DataSet(AgentRig.Image(10_000, 5), 7, classId: new byte[16])));
        Assert.Equal((int)SuitError.WrongClass, outcome.Detail);
        AssertStagingUntouched();
    }

    [Fact]
    public void AnOversizedImage_IsRefused()
    {
        var outcome = _rig.Engine(maxImage: 4096).Stage(new MemorySource(_rig.DataSet(AgentRig.Image(10_000, 6), 7)));
        Assert.Equal((int)SuitError.ImageTooLarge, outcome.Detail);
        AssertStagingUntouched();
    }

    [Fact]
    public void AnotherDevicesMasterSecret_DoesNotUnwrap_BeforeStaging()
    {
        var image = AgentRig.Image(10_000, 7);
        using var otherRig = new AgentRig();
        // Same vendor key, same ids, another master secret: the chip derives a different KEK.
        var dataSet = _rig.DataSet(image, 7, encrypt: true);
        otherRig.ChipState.Objects[SecurityChip.OidUpdateMasterSecret].Data = RandomNumberGenerator.GetBytes(32);
        _rig.ChipState.Objects[SecurityChip.OidUpdateMasterSecret].Data = RandomNumberGenerator.GetBytes(32);
        var outcome = _rig.Engine().Stage(new MemorySource(dataSet));
        Assert.Equal((int)SuitError.DecryptionFailed, outcome.Detail);
        AssertStagingUntouched();
    }

    [Fact]
    public void ASwappedPayload_IsCaughtByTheDigest_AndNothingIsRequested()
    {
        var dataSet = _rig.DataSet(AgentRig.Image(20_000, 8), 7);
        var other = _rig.DataSet(AgentRig.Image(20_000, 9), 7);
        Array.Copy(other, other.Length - 20_000, dataSet, dataSet.Length - 20_000, 20_000);
        var outcome = _rig.Engine().Stage(new MemorySource(dataSet));
        Assert.Equal((int)SuitError.PayloadDigestMismatch, outcome.Detail);
        Assert.Equal(0, _rig.BootState.WriteCount);
    }

    [Fact]
    public void ADownloadCutAnywhere_NeverRequestsAnInstall_AndARetrySucceeds()
    {
        var dataSet = _rig.DataSet(AgentRig.Image(30_000, 10), 7, encrypt: true);
        for (long cut = 0; cut < dataSet.Length; cut += 997)
        {
            var outcome = _rig.Engine().Stage(new MemorySource(dataSet, failAfter: cut));
            Assert.Equal(UpdateFailure.Network, outcome.Failure);
            Assert.Equal(0, _rig.BootState.WriteCount);
        }
        Assert.True(_rig.Engine().Stage(new MemorySource(dataSet)).IsOk);
    }

    [Fact]
    public void ADeadChip_IsReportedAsAChipFailure_NotAsABadDataSet()
    {
        var dataSet = _rig.DataSet(AgentRig.Image(10_000, 11), 7);
        _rig.Chip.Faults.NackNext = 1_000_000;
        var outcome = _rig.Engine().Stage(new MemorySource(dataSet));
        Assert.Equal(UpdateFailure.Chip, outcome.Failure);
        Assert.Equal(ChipErrors.PhysicalNack, outcome.Detail);
        AssertStagingUntouched();
    }
}
