using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// Trust M authorization by HMAC, as the vendor's example_optiga_hmac_verify_with_authorization_reference
/// uses it: an AUTOREF secret, an object readable under Auto(secret), an authorization code from
/// GetRandom into a session, the host's HMAC over code ‖ data verified by DecryptSym.
/// </summary>
public sealed class HmacAuthorizationTests : IDisposable
{
    private const int SecretOid = 0xF1D5, /* F1D0 holds the update master secret in the rig */ Guarded = 0xF1E0, Session = 0xE100;
    private readonly ChipRig _rig = new(ChipPart.TrustM);
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(64);

    public HmacAuthorizationTests()
    {
        Ok(_rig.Open());
        Ok(_rig.Driver.Execute(new SetDataObject(SecretOid, 0, Convert.FromHexString("2006D30100E80131"), 0x01))); /* execute ALW, type AUTOREF */
        Ok(_rig.Driver.Execute(new SetDataObject(SecretOid, 0, _secret, 0x40)));
        Ok(_rig.Driver.Execute(new SetDataObject(Guarded, 0, [1, 2, 3, 4], 0x40)));
        Ok(_rig.Driver.Execute(new SetDataObject(Guarded, 0, Convert.FromHexString("2005D10323F1D5"), 0x01))); /* read: Auto(F1D5) */
    }

    public void Dispose() => _rig.Dispose();

    private static void Ok(ChipResult r) => Assert.True(r.IsOk, r.ToString());

    private ChipResult Raw(byte cmd, byte param, byte[] data) => _rig.Raw(cmd, param, data);

    // GetRandom TRNG, 32 bytes, into the session, with 16 bytes of optional data first.
    private (byte[] Optional, byte[] Random) AuthCode()
    {
        var optional = RandomNumberGenerator.GetBytes(16);
        var r = Raw(0x0C, 0x00, [0x00, 0x20, Session >> 8, Session & 0xFF, 0x41, 0x00, 0x10, .. optional]);
        Ok(r);
        Assert.Equal(32, r.Data.Length);
        return (optional, r.Data);
    }

    private ChipResult Verify(byte[] data, byte[] hmac) =>
        Raw(0x15, 0x20, [SecretOid >> 8, SecretOid & 0xFF, 0x01, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2), Session >> 8, Session & 0xFF, .. data, 0x43, 0x00, (byte)hmac.Length, .. hmac]);

    private ChipResult ReadGuarded() => _rig.Driver.Execute(new GetDataObject(Guarded, 0, 4));

    [Fact]
    public void AVerifiedHmac_OpensTheAutoCondition_UntilAFailedVerificationOrAReset()
    {
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, ReadGuarded().Code);
        var (optional, random) = AuthCode();
        byte[] data = [.. optional, .. random, .. RandomNumberGenerator.GetBytes(16)];
        Ok(Verify(data, HMACSHA256.HashData(_secret, data)));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, ReadGuarded().Data);

        // The code is used once: the same verification again fails, and the failure clears the auto state.
        Assert.Equal(ChipErrors.DeviceBase | 0x2F, Verify(data, HMACSHA256.HashData(_secret, data)).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, ReadGuarded().Code);

        (optional, random) = AuthCode();
        data = [.. optional, .. random];
        Ok(Verify(data, HMACSHA256.HashData(_secret, data)));
        Assert.True(_rig.Emulator.Application.HasAutoState(SecretOid));
        _rig.Emulator.Application.Reset();
        Assert.False(_rig.Emulator.Application.HasAutoState(SecretOid));
    }

    [Fact]
    public void AWrongHmac_DataWithoutTheCode_OrASecretOfAnotherType_AreRefused()
    {
        var (optional, random) = AuthCode();
        byte[] data = [.. optional, .. random];
        var wrong = HMACSHA256.HashData(RandomNumberGenerator.GetBytes(64), data);
        Assert.Equal(ChipErrors.DeviceBase | 0x2F, Verify(data, wrong).Code);

        AuthCode();
        byte[] stranger = RandomNumberGenerator.GetBytes(48); /* not starting with the code */
        Assert.Equal(ChipErrors.DeviceBase | 0x2F, Verify(stranger, HMACSHA256.HashData(_secret, stranger)).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, ReadGuarded().Code);

        Ok(_rig.Driver.Execute(new SetDataObject(SecretOid, 0, Convert.FromHexString("2003E80121"), 0x01))); /* now PRESSEC */
        (optional, random) = AuthCode();
        data = [.. optional, .. random];
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, Verify(data, HMACSHA256.HashData(_secret, data)).Code);
    }

    [Fact]
    public void TheLibrarysClearAutoState_AVerificationWithoutData_ClearsIt()
    {
        var (optional, random) = AuthCode();
        byte[] data = [.. optional, .. random];
        Ok(Verify(data, HMACSHA256.HashData(_secret, data)));
        // optiga_crypt_clear_auto_state sends 95 20 0007 <secret> 01 0002 0000 (seen with --trace-apdu) and ignores the answer.
        Assert.False(Raw(0x15, 0x20, [SecretOid >> 8, SecretOid & 0xFF, 0x01, 0x00, 0x02, 0x00, 0x00]).IsOk);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, ReadGuarded().Code);
    }
}
