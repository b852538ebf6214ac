using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// Trust X one-way authentication as the vendor host library runs it (X-CMDC CmdLib_GetSignature:
/// SetAuthScheme 10 91 with the key OID, SetAuthMsg 19 01 with the challenge, GetAuthMsg 18 02), checked
/// the way the Trust X integration library checks it: the two INTEGERs wrapped in a SEQUENCE verify as
/// ECDSA-SHA256 over the challenge with the key of the chip's certificate (IntLib_AuthenticateEndEntity).
/// </summary>
public sealed class OneWayAuthenticationTests
{
    private static ChipResult Challenge(ChipRig rig, int keyOid, byte[] challenge)
    {
        var scheme = rig.Raw(0x10, 0x91, [(byte)(keyOid >> 8), (byte)keyOid]);
        if (!scheme.IsOk) return scheme;
        var message = rig.Raw(0x19, 0x01, challenge);
        return message.IsOk ? rig.Raw(0x18, 0x02, []) : message;
    }

    // IntLib_FormatSignature: 30 len ‖ the chip's 02 r 02 s.
    private static byte[] Sequence(byte[] integers) => [0x30, (byte)integers.Length, .. integers];

    private static ECDsa CertificateKey(ChipRig rig)
    {
        using var cert = X509CertificateLoader.LoadCertificate(rig.State.Objects[ChipState.OidInfineonCert].Data);
        return cert.GetECDsaPublicKey()!;
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(256)]
    public void TheChipSignsTheChallenge_WithTheKeyOfItsCertificate(int length)
    {
        using var rig = ChipRig.Opened(ChipPart.TrustX);
        var challenge = RandomNumberGenerator.GetBytes(length);
        var answer = Challenge(rig, ChipState.OidInfineonKey, challenge);
        Assert.True(answer.IsOk, answer.ToString());
        Assert.Equal(0x02, answer.Data[0]);
        using var key = CertificateKey(rig);
        Assert.True(key.VerifyData(challenge, Sequence(answer.Data), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        // Another challenge does not verify with this answer.
        challenge[0] ^= 1;
        Assert.False(key.VerifyData(challenge, Sequence(answer.Data), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void AChallengeIsSignedOnce_AndOnlyAfterAScheme()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustX);
        // No scheme yet: the message and the answer are out of sequence.
        Assert.Equal(ChipErrors.DeviceBase | 0x0B, rig.Raw(0x19, 0x01, new byte[16]).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x0B, rig.Raw(0x18, 0x02, []).Code);
        Assert.True(Challenge(rig, ChipState.OidInfineonKey, new byte[16]).IsOk);
        // The same challenge is not answered again.
        Assert.Equal(ChipErrors.DeviceBase | 0x0B, rig.Raw(0x18, 0x02, []).Code);
        // A reopened application forgets the scheme.
        Assert.True(rig.Raw(0x19, 0x01, new byte[16]).IsOk);
        Assert.True(rig.Open().IsOk);
        Assert.Equal(ChipErrors.DeviceBase | 0x0B, rig.Raw(0x18, 0x02, []).Code);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(257)]
    public void AChallengeOutsideEightTo256Bytes_IsRefused(int length)
    {
        using var rig = ChipRig.Opened(ChipPart.TrustX);
        Assert.Equal(ChipErrors.DeviceBase | 0x05, Challenge(rig, ChipState.OidInfineonKey, new byte[length]).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x0B, rig.Raw(0x18, 0x02, []).Code);
    }

    [Fact]
    public void AKeyWithoutTheAuthenticationUsage_OrNoKey_IsRefusedWhenTheSchemeIsSet()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustX);
        // E0F1 is the class's key-agreement key; E0E0 is a certificate, not a key; E0F3 holds no key.
        Assert.Equal(ChipErrors.DeviceBase | 0x07, rig.Raw(0x10, 0x91, [0xE0, 0xF1]).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, rig.Raw(0x10, 0x91, [0xE0, 0xE0]).Code);
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceInvalidOid, rig.Raw(0x10, 0x91, [0xE0, 0xF3]).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x05, rig.Raw(0x10, 0x91, [0xE0]).Code);
        // An unknown scheme (the DTLS client scheme 0x99 is Dtls/DtlsClientTests' subject).
        Assert.Equal(ChipErrors.DeviceBase | 0x03, rig.Raw(0x10, 0x92, [0xE0, 0xF0]).Code);
    }

    [Fact]
    public void ATrustM_HasNoOneWayAuthenticationCommands()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        Assert.Equal(ChipErrors.DeviceBase | 0x0A, rig.Raw(0x10, 0x91, [0xE0, 0xF0]).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x0A, rig.Raw(0x19, 0x01, new byte[16]).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x0A, rig.Raw(0x18, 0x02, []).Code);
    }
}
