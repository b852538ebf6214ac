using SecureOta.Drivers.Chip.Commands;
using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// The shielded connection: handshake on the platform binding secret, protected records, and the bus
/// attacker of FaultTests now detected instead of believed.
/// </summary>
public sealed class ShieldedConnectionTests : IDisposable
{
    private readonly ChipRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private void Shield(byte[]? secret = null) =>
        _rig.Driver.EnableShieldedConnection(secret ?? _rig.State.Objects[ChipState.OidPlatformBinding].Data, new Sha256(), new ManagedAesFactory());

    [Fact]
    public void HandshakeAndProtectedCommands_Work()
    {
        Shield();
        var open = _rig.Open();
        Assert.True(open.IsOk, open.ToString());
        var (digest, signature) = _rig.SignedByVendor("manifest"u8.ToArray());
        Assert.True(_rig.Driver.VerifyWithTrustAnchor(SecurityChip.OidUpdateTrustAnchor, digest, signature).IsOk);
        signature[0] ^= 1;
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceSignatureFailure, _rig.Driver.VerifyWithTrustAnchor(SecurityChip.OidUpdateTrustAnchor, digest, signature).Code);
        var salt = RandomNumberGenerator.GetBytes(32);
        var cls = RandomNumberGenerator.GetBytes(16);
        var kek = _rig.Driver.DeriveKeyExport(SecurityChip.OidUpdateMasterSecret, SecureOta.Core.Suit.KekDerivation.DerivationData(salt, cls), 16);
        Assert.True(kek.IsOk, kek.ToString());
        using var sha = new DotNetSha256();
        Assert.Equal(SecureOta.Core.Suit.KekDerivation.DeriveKek(sha, _rig.MasterSecret, salt, cls), kek.Data);
    }

    [Fact]
    public void AWrongPlatformBindingSecret_FailsTheHandshake()
    {
        Shield(RandomNumberGenerator.GetBytes(64));
        var r = _rig.Open();
        Assert.Equal(ChipErrors.PresentationHandshake, r.Code);
        Assert.Equal(ChipLayer.Presentation, r.Layer);
    }

    [Fact]
    public void TheBusAttacker_IsDetected_WhenTheConnectionIsShielded()
    {
        Shield();
        Assert.True(_rig.Open().IsOk);
        var digest = SHA256.HashData("forged"u8.ToArray());
        var forged = new byte[64];
        forged[0] = 1; forged[32] = 1;
        // The attacker of FaultTests, adapted: it cannot read the record, so it flips the bits where an
        // unprotected "Sta FF" would be, or replaces the whole record with a forged "success".
        _rig.Emulator.Faults.RewriteResponse = record => { var r = (byte[])record.Clone(); if (r[0] == 0x23) r[5] ^= 0xFF; return r; };
        var flipped = _rig.Driver.VerifyWithTrustAnchor(SecurityChip.OidUpdateTrustAnchor, digest, forged);
        Assert.Equal(ChipErrors.PresentationIntegrity, flipped.Code);
        Assert.Equal(ChipLayer.Presentation, flipped.Layer);

        _rig.Emulator.Faults.RewriteResponse = null;
        Assert.True(_rig.Open().IsOk);
        _rig.Emulator.Faults.RewriteResponse = record => record[0] == 0x23 ? [record[0], .. record[1..5], 0x00, 0x00, 0x00, 0x00, .. new byte[8]] : record;
        var replaced = _rig.Driver.VerifyWithTrustAnchor(SecurityChip.OidUpdateTrustAnchor, digest, forged);
        Assert.Equal(ChipErrors.PresentationIntegrity, replaced.Code);
    }

    [Fact]
    public void AReplayedResponse_IsRefused()
    {
        Shield();
        Assert.True(_rig.Open().IsOk);
        byte[]? captured = null;
        _rig.Emulator.Faults.RewriteResponse = record => { captured ??= (byte[])record.Clone(); return record[0] is 0x22 or 0x23 ? captured : record; };
        Assert.True(_rig.Driver.Read(SecurityChip.OidUid, 0, 27).IsOk);
        var replay = _rig.Driver.Read(SecurityChip.OidUid, 0, 27);
        Assert.Equal(ChipErrors.PresentationIntegrity, replay.Code);
    }

    [Fact]
    public void ObjectsReadableOnlyOverTheShieldedConnection_AreRefusedWithoutIt()
    {
        _rig.State.Add(new DataObject { Oid = 0xF1D5, Data = [1, 2, 3], Read = [AccessCondition.Conf, 0xE1, 0x40] });
        Assert.True(_rig.Open().IsOk);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, _rig.Driver.Read(0xF1D5, 0, 3).Code);
        Shield();
        Assert.True(_rig.Open().IsOk);
        var r = _rig.Driver.Read(0xF1D5, 0, 3);
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(new byte[] { 1, 2, 3 }, r.Data);
    }
}

/// <summary>The host reboots while the chip keeps power (the ESP32 restarts, the chip's supply does not).</summary>
public sealed class HostRebootTests : IDisposable
{
    private readonly ChipRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void AFreshDriver_OpensAChipThatStillHoldsTheOldSession()
    {
        var secret = _rig.State.Objects[ChipState.OidPlatformBinding].Data;
        _rig.Driver.EnableShieldedConnection(secret, new Sha256(), new ManagedAesFactory());
        Assert.True(_rig.Open().IsOk);
        Assert.True(_rig.Driver.Read(SecurityChip.OidUid, 0, 27).IsOk);

        var rebooted = new SecurityChip(_rig.Emulator, _rig.Clock);
        rebooted.EnableShieldedConnection(secret, new Sha256(), new ManagedAesFactory());
        var open = rebooted.Open();
        Assert.True(open.IsOk, open.ToString());
        Assert.True(rebooted.Read(SecurityChip.OidUid, 0, 27).IsOk);
    }
}

/// <summary>A command sent at a chosen protection level.</summary>
internal sealed class Leveled(ChipCommand inner, byte level) : ChipCommand
{
    public override byte[] GetBytes() => inner.GetBytes();
    public override byte Protection => level;
}

/// <summary>The four SCTR protection levels (I2C-203 Table 6-2; M-PRL PRL_STATE_TXRX), in the emulator and the driver.</summary>
public sealed class ProtectionLevelTests : IDisposable
{
    private readonly ChipRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Theory]
    [InlineData(PresentationLayer.ProtectNone)]
    [InlineData(PresentationLayer.ProtectCommand)]
    [InlineData(PresentationLayer.ProtectResponse)]
    [InlineData(PresentationLayer.ProtectFull)]
    public void EveryLevel_CarriesTheCommand_AndTheResponseEchoesTheSctr(byte level)
    {
        _rig.Driver.EnableShieldedConnection(_rig.State.Objects[ChipState.OidPlatformBinding].Data, new Sha256(), new ManagedAesFactory());
        Assert.True(_rig.Open().IsOk);
        byte? seen = null;
        _rig.Emulator.Faults.RewriteResponse = record => { seen = record[0]; return record; };
        var r = _rig.Driver.Execute(new Leveled(new GetDataObject(0xE0C2, 0, 27), level));
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(_rig.State.Objects[0xE0C2].Data, r.Data);
        Assert.Equal((byte)(0x20 | level), seen);
    }

    [Fact]
    public void ConfInAReadCondition_NeedsTheResponseProtected_InAChangeConditionTheCommand()
    {
        _rig.State.Add(new DataObject { Oid = 0xF1D6, Data = [9], Read = [AccessCondition.Conf, 0xE1, 0x40], Change = [AccessCondition.Conf, 0xE1, 0x40] });
        _rig.Driver.EnableShieldedConnection(_rig.State.Objects[ChipState.OidPlatformBinding].Data, new Sha256(), new ManagedAesFactory());
        Assert.True(_rig.Open().IsOk);
        Assert.False(_rig.Driver.Execute(new Leveled(new GetDataObject(0xF1D6, 0, 1), PresentationLayer.ProtectCommand)).IsOk);
        Assert.True(_rig.Driver.Execute(new Leveled(new GetDataObject(0xF1D6, 0, 1), PresentationLayer.ProtectResponse)).IsOk);
        Assert.False(_rig.Driver.Execute(new Leveled(new SetDataObject(0xF1D6, 0, [1], SetDataObject.ParamWrite), PresentationLayer.ProtectResponse)).IsOk);
        Assert.True(_rig.Driver.Execute(new Leveled(new SetDataObject(0xF1D6, 0, [1], SetDataObject.ParamWrite), PresentationLayer.ProtectCommand)).IsOk);
    }

    [Fact]
    public void AnUnprotectedRecord_NeedsNoHandshake_AsTheVendorHostSendsIt()
    {
        var bus = new RawBus(_rig.Emulator, _rig.Clock);
        _rig.Clock.Advance(20_000);
        bus.Send(RawBus.Data(0, 3, [TransportLayer.Presence, 0x20, .. new OpenApplication().GetBytes()]));
        bus.Receive(100);
        var response = bus.Receive();
        Assert.Equal("000006" + "08" + "20" + "00000000", RawBus.Hex(response[..^2])); /* frame 0 ack 0, PCTR with presence, SCTR 20, Sta 00 */
    }
}
