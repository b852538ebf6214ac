using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>GenKeyPair, CalcHash, CalcSSec, frequency negotiation and the security monitor's throttling.</summary>
public sealed class MoreCommandTests : IDisposable
{
    private readonly ChipRig _rig = new();

    public MoreCommandTests() => Assert.True(_rig.Open().IsOk);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void GenKeyPair_ThenSignWithIt_VerifiesWithTheReturnedPublicKey()
    {
        var gen = _rig.Driver.Execute(new GenKeyPair(0xE0F3, GenKeyPair.UsageSign));
        Assert.True(gen.IsOk, gen.ToString());
        Assert.Equal(new byte[] { 0x02, 0x00, 0x44, 0x03, 0x42, 0x00, 0x04 }, gen.Data[..7]);
        var digest = SHA256.HashData("challenge"u8.ToArray());
        var sig = _rig.Driver.Sign(0xE0F3, digest);
        Assert.True(sig.IsOk);
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = gen.Data[7..39], Y = gen.Data[39..71] } });
        Assert.True(key.VerifyHash(digest, sig.Data, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        // E0F0 holds Infineon's key, locked (change NEV): no new key over it. E0E0 is no key slot.
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, _rig.Driver.Execute(new GenKeyPair(0xE0F0, GenKeyPair.UsageSign)).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, _rig.Driver.Execute(new GenKeyPair(0xE0E0, GenKeyPair.UsageSign)).Code);
    }

    [Fact]
    public void CalcHash_IsSha256()
    {
        var data = RandomNumberGenerator.GetBytes(500);
        var r = _rig.Driver.Execute(new CalcHash(data));
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal([0x01, 0x00, 0x20, .. SHA256.HashData(data)], r.Data);
    }

    [Fact]
    public void CalcSSec_AgreesWithThePeer()
    {
        using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = peer.ExportParameters(false).Q;
        byte[] bitString = [0x03, 0x42, 0x00, 0x04, .. q.X!, .. q.Y!];
        // The device key is for authentication and signing: key agreement needs a key with that usage.
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, _rig.Driver.Execute(new CalcSSec(SecurityChip.OidDeviceKey, bitString, 0)).Code);
        var gen = _rig.Driver.Execute(new GenKeyPair(0xE0F3, GenKeyPair.UsageKeyAgreement));
        Assert.True(gen.IsOk, gen.ToString());
        var r = _rig.Driver.Execute(new CalcSSec(0xE0F3, bitString, 0));
        Assert.True(r.IsOk, r.ToString());
        using var chipPublic = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = gen.Data[7..39], Y = gen.Data[39..71] } });
        Assert.Equal(peer.DeriveRawSecretAgreement(chipPublic.PublicKey), r.Data);
        var badPeer = (byte[])bitString.Clone();
        badPeer[3] = 0x02;
        Assert.Equal(ChipErrors.DeviceBase | 0x05, _rig.Driver.Execute(new CalcSSec(0xE0F3, badPeer, 0)).Code);
    }

    [Fact]
    public void TheSecurityMonitor_ThrottlesABurstOfProtectedOperations()
    {
        var data = new byte[32];
        long Duration()
        {
            long start = _rig.Clock.NowMicroseconds;
            Assert.True(_rig.Driver.DeriveKeyExport(SecurityChip.OidUpdateMasterSecret, data, 16).IsOk);
            return _rig.Clock.NowMicroseconds - start;
        }
        long first = Duration();
        for (int i = 0; i < 160; i++) Duration();
        long throttled = Duration();
        Assert.True(_rig.Emulator.Application.SecurityEventCounter >= ApduProcessor.ThrottleFrom);
        Assert.True(throttled > first + ApduProcessor.ThrottleStepUs, $"first {first} µs, after the burst {throttled} µs");
        // Quiet time lets the counter fall again.
        _rig.Clock.Sleep(200 * ApduProcessor.TmaxUs);
        long rested = Duration();
        Assert.True(rested < throttled);
        var sec = _rig.Driver.Read(ApduProcessor.OidSecurityEventCounter, 0, 1);
        Assert.True(sec.IsOk);
        Assert.True(sec.Data[0] < ApduProcessor.ThrottleFrom);
    }

    [Fact]
    public void TheSecurityEventCounter_FallsWithTime_WithoutAnyProtectedOperation()
    {
        // As Infineon's hibernate example relies on: it reads E0C5 once a second until it is 0.
        var data = new byte[32];
        for (int i = 0; i < 10; i++) Assert.True(_rig.Driver.DeriveKeyExport(SecurityChip.OidUpdateMasterSecret, data, 16).IsOk);
        int before = _rig.Driver.Read(ApduProcessor.OidSecurityEventCounter, 0, 1).Data[0];
        Assert.True(before >= 10);
        _rig.Clock.Sleep(3 * ApduProcessor.TmaxUs);
        Assert.Equal(before - 3, _rig.Driver.Read(ApduProcessor.OidSecurityEventCounter, 0, 1).Data[0]);
        _rig.Clock.Sleep(100 * ApduProcessor.TmaxUs);
        Assert.Equal(0, _rig.Driver.Read(ApduProcessor.OidSecurityEventCounter, 0, 1).Data[0]);
    }
}

/// <summary>Refusals of the remaining commands, soft reset, and chip-emu's provisioning command.</summary>
public sealed class ErrorPathAndToolTests : IDisposable
{
    private readonly ChipRig _rig = new();

    public ErrorPathAndToolTests() => Assert.True(_rig.Open().IsOk);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void UnknownObjects_AndKeylessSigning_AreRefusedWithInvalidOid()
    {
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, _rig.Driver.Read(0xF1FF, 0, 1).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, _rig.Driver.Sign(0xF1D1, new byte[32]).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceBoundaryExceeded, _rig.Driver.Read(SecurityChip.OidUid, 100, 1).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x08, _rig.Driver.Execute(new SetDataObject(0xF1D1, 90, new byte[20], SetDataObject.ParamWrite)).Code);
    }

    [Fact]
    public void SoftReset_RestartsTheChip_AndTheDriverReopensIt()
    {
        var r = _rig.Driver.Reset();
        Assert.True(r.IsOk, r.ToString());
        Assert.True(_rig.Driver.Read(SecurityChip.OidUid, 0, 27).IsOk);
    }

    [Fact]
    public void ChipEmuProvision_WritesALockedChip()
    {
        var dir = Directory.CreateTempSubdirectory("chip-emu-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "vendor.pub.pem"), _rig.VendorKey.ExportSubjectPublicKeyInfoPem());
            File.WriteAllText(Path.Combine(dir, "master.hex"), Convert.ToHexString(_rig.MasterSecret));
            var tool = Path.Combine(AppContext.BaseDirectory, "chip-emu.dll");
            var run = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet")
            {
                ArgumentList = { tool, "provision", "--out", Path.Combine(dir, "chip.json"), "--vendor-pub", Path.Combine(dir, "vendor.pub.pem"), "--master-secret", Path.Combine(dir, "master.hex") },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            Assert.True(run.WaitForExit(60_000));
            Assert.Equal(0, run.ExitCode);
            var state = ChipState.Load(Path.Combine(dir, "chip.json"));
            var clock = new VirtualClock();
            var driver = new SecurityChip(new SecureOta.ChipEmulator.ChipEmulator(state, clock), clock);
            Assert.True(driver.Open().IsOk);
            Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, driver.Read(SecurityChip.OidUpdateMasterSecret, 0, 1).Code);
            var digest = SHA256.HashData("m"u8.ToArray());
            var signature = _rig.VendorKey.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            Assert.True(driver.VerifyWithTrustAnchor(SecurityChip.OidUpdateTrustAnchor, digest, signature).IsOk);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
