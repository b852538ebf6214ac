using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.ChipEmulator;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>The driver against the emulator, command by command, success and refusal.</summary>
public sealed class DriverTests : IDisposable
{
    private readonly ChipRig _rig = new();

    public DriverTests() => Assert.True(_rig.Open().IsOk);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void ReadsTheUid()
    {
        var uid = _rig.Driver.Read(SecurityChip.OidUid, 0, 0x64);
        Assert.True(uid.IsOk, uid.ToString());
        Assert.Equal(27, uid.Data.Length);
        Assert.Equal(0xCD, uid.Data[0]);
    }

    [Fact]
    public void VerifiesTheVendorSignature_WithTheTrustAnchor()
    {
        var (digest, signature) = _rig.SignedByVendor("manifest"u8.ToArray());
        var ok = _rig.Driver.VerifyWithTrustAnchor(SecurityChip.OidUpdateTrustAnchor, digest, signature);
        Assert.True(ok.IsOk, ok.ToString());
        Assert.True(_rig.Clock.NowMicroseconds >= ChipPart.TrustM.Durations.VerifyUs, "verify took no (virtual) time");
    }

    [Fact]
    public void RefusesAForgedSignature_WithItsLastErrorCode()
    {
        var (digest, signature) = _rig.SignedByVendor("manifest"u8.ToArray());
        signature[5] ^= 1;
        var r = _rig.Driver.VerifyWithTrustAnchor(SecurityChip.OidUpdateTrustAnchor, digest, signature);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceSignatureFailure, r.Code);
        Assert.Equal(ChipLayer.Device, r.Layer);
        // The last error was read (and so cleared) by the driver: the next command starts clean.
        Assert.True(_rig.Driver.Read(SecurityChip.OidUid, 0, 4).IsOk);
    }

    [Fact]
    public void DerivesTheKek_AsTheVendorToolDoes()
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        var classId = RandomNumberGenerator.GetBytes(16);
        var r = _rig.Driver.DeriveKeyExport(SecurityChip.OidUpdateMasterSecret, KekDerivation.DerivationData(salt, classId), 16);
        Assert.True(r.IsOk, r.ToString());
        using var sha = new DotNetSha256();
        Assert.Equal(KekDerivation.DeriveKek(sha, _rig.MasterSecret, salt, classId), r.Data);
    }

    [Fact]
    public void TheMasterSecret_CannotBeRead()
    {
        var r = _rig.Driver.Read(SecurityChip.OidUpdateMasterSecret, 0, 64);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, r.Code);
    }

    [Fact]
    public void TheTrustAnchor_CannotBeReplacedAfterLock()
    {
        var r = _rig.Driver.Execute(new SetDataObject(SecurityChip.OidUpdateTrustAnchor, 0, new byte[64], SetDataObject.ParamEraseWrite));
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, r.Code);
    }

    [Fact]
    public void DeriveKey_RefusesAnObjectThatIsNotASecret()
    {
        var r = _rig.Driver.DeriveKeyExport(SecurityChip.OidUid, new byte[16], 16);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, r.Code);
    }

    [Fact]
    public void Counter_ReadsAndAdvances_AndStopsAtItsThreshold()
    {
        long before = _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out var r);
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(0, before);
        Assert.True(_rig.Driver.AdvanceCounter(SecurityChip.OidRollbackCounter, 7).IsOk);
        Assert.Equal(7, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
        var obj = _rig.State.Objects[SecurityChip.OidRollbackCounter];
        obj.Data = [0, 0, 0, 9, 0, 0, 0, 10];
        Assert.Equal(ChipErrors.DeviceBase | 0x0E, _rig.Driver.AdvanceCounter(SecurityChip.OidRollbackCounter, 2).Code);
        Assert.Equal(ChipErrors.CommandBadArgument, _rig.Driver.AdvanceCounter(SecurityChip.OidRollbackCounter, 0).Code);
    }

    [Fact]
    public void SignsAChallenge_WithTheDeviceKey_VerifiableWithItsCertificate()
    {
        var challenge = SHA256.HashData(RandomNumberGenerator.GetBytes(32));
        var r = _rig.Driver.Sign(SecurityChip.OidDeviceKey, challenge);
        Assert.True(r.IsOk, r.ToString());
        var certBytes = _rig.Driver.Read(ChipState.OidDeviceCert, 0, 0xFFFF);
        Assert.True(certBytes.IsOk, certBytes.ToString());
        using var cert = X509CertificateLoader.LoadCertificate(certBytes.Data);
        using var key = cert.GetECDsaPublicKey()!;
        Assert.True(key.VerifyHash(challenge, r.Data, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void LongResponses_AreChained()
    {
        // The device certificate is longer than one frame (271 APDU bytes): the response comes in fragments.
        var cert = _rig.Driver.Read(ChipState.OidDeviceCert, 0, 0xFFFF);
        Assert.True(cert.IsOk, cert.ToString());
        Assert.True(cert.Data.Length > 271);
        Assert.Equal(_rig.State.Objects[ChipState.OidDeviceCert].Data, cert.Data);
    }

    [Fact]
    public void LongCommands_AreChained()
    {
        // 600 bytes into a free data object: the APDU is sent in three fragments.
        _rig.State.Add(new DataObject { Oid = 0xF1E0, MaxSize = 1500 });
        var data = RandomNumberGenerator.GetBytes(600);
        var r = _rig.Driver.Execute(new SetDataObject(0xF1E0, 0, data, SetDataObject.ParamEraseWrite));
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(data, _rig.State.Objects[0xF1E0].Data);
    }

    [Fact]
    public void GetRandom_GivesWhatWasAskedFor()
    {
        var r = _rig.Driver.Execute(new GetRandom(32));
        Assert.True(r.IsOk);
        Assert.Equal(32, r.Data.Length);
    }

    [Fact]
    public void CommandsBeforeOpenApplication_AreRefused()
    {
        _rig.Emulator.PowerCycle();
        _rig.Clock.Sleep(20000);
        var r = _rig.Driver.Read(SecurityChip.OidUid, 0, 4);
        // Refused; the last-error object itself is unavailable while the application is closed,
        // so the driver reports the refusal with an unknown code (0xFF).
        Assert.Equal(ChipLayer.Device, r.Layer);
        Assert.False(r.IsOk);
        Assert.True(_rig.Open().IsOk);
        Assert.True(_rig.Driver.Read(SecurityChip.OidUid, 0, 4).IsOk);
    }

    [Fact]
    public void TheChipStateSurvivesAReboot_ThroughItsStateFile()
    {
        Assert.True(_rig.Driver.AdvanceCounter(SecurityChip.OidRollbackCounter, 3).IsOk);
        var path = Path.Combine(Path.GetTempPath(), "chip-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            _rig.State.Save(path);
            var clock = new VirtualClock();
            var emulator = new SecureOta.ChipEmulator.ChipEmulator(ChipState.Load(path), clock);
            var driver = new SecurityChip(emulator, clock);
            Assert.True(driver.Open().IsOk);
            Assert.Equal(3, driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
            Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, driver.Read(SecurityChip.OidUpdateMasterSecret, 0, 1).Code);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
