using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// The curves beyond P-256 and P-384 that a Trust M V3 and its host library's default build offer (M-COM
/// optiga_ecc_curve_t, M-LIBCFG): P-521 and Brainpool P256r1/P384r1/P512r1, each through GenKeyPair,
/// CalcSign, VerifySign and CalcSSec, checked against System.Security.Cryptography; a Trust X refuses them.
/// </summary>
public sealed class EccCurveTests
{
    public static TheoryData<byte, string> TrustMOnlyCurves => new()
    {
        { 0x05, "nistP521" }, { 0x13, "brainpoolP256r1" }, { 0x15, "brainpoolP384r1" }, { 0x16, "brainpoolP512r1" },
    };

    private static ECCurve Named(string name) => ECCurve.CreateFromFriendlyName(name);


    private static byte[] Oid(int oid) => [(byte)(oid >> 8), (byte)oid];

    // The BIT STRING 03 len 00 04 X Y, with a long-form length past 127 bytes (P-521, Brainpool P512r1).
    private static ECParameters PublicKey(byte[] bitString, ECCurve curve)
    {
        int header = bitString[1] == 0x81 ? 3 : 2, coordinate = (bitString.Length - header - 2) / 2;
        Assert.Equal(0x03, bitString[0]);
        Assert.Equal([0x00, 0x04], bitString[header..(header + 2)]);
        var q = bitString[(header + 2)..];
        return new ECParameters { Curve = curve, Q = new ECPoint { X = q[..coordinate], Y = q[coordinate..] } };
    }

    private static byte[] BitString(ECParameters p)
    {
        int content = 2 + 2 * p.Q.X!.Length;
        byte[] length = content < 0x80 ? [(byte)content] : [0x81, (byte)content];
        return [0x03, .. length, 0x00, 0x04, .. p.Q.X!, .. p.Q.Y!];
    }

    // The chip's r and s (two DER INTEGERs) wrapped in the SEQUENCE of RFC 3279.
    private static byte[] Sequence(byte[] integers) =>
        integers.Length < 0x80 ? [0x30, (byte)integers.Length, .. integers] : [0x30, 0x81, (byte)integers.Length, .. integers];

    // GenKeyPair into a session context; the answer is 02 len BIT STRING.
    private static byte[] GenerateInto(ChipRig rig, byte alg, int session, byte usage)
    {
        var r = rig.Raw(0x38, alg, [.. ChipRig.Tlv(0x01, Oid(session)), .. ChipRig.Tlv(0x02, [usage])]);
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(0x02, r.Data[0]);
        return r.Data[3..];
    }

    [Theory]
    [MemberData(nameof(TrustMOnlyCurves))]
    public void ATrustM_SignsAndVerifies_OnTheCurve(byte alg, string curveName)
    {
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        var pub = GenerateInto(rig, alg, 0xE101, ChipState.UsageSign);
        using var key = ECDsa.Create(PublicKey(pub, Named(curveName)));
        var digest = SHA256.HashData("signed on the chip"u8);

        var sign = rig.Raw(0x31, 0x11, [.. ChipRig.Tlv(0x01, digest), .. ChipRig.Tlv(0x03, Oid(0xE101))]);
        Assert.True(sign.IsOk, sign.ToString());
        Assert.True(key.VerifyHash(digest, Sequence(sign.Data), DSASignatureFormat.Rfc3279DerSequence), "the chip's signature does not verify");

        byte[] verify(byte[] d) => [.. ChipRig.Tlv(0x01, d), .. ChipRig.Tlv(0x02, sign.Data), .. ChipRig.Tlv(0x05, [alg]), .. ChipRig.Tlv(0x06, pub)];
        Assert.True(rig.Raw(0x32, 0x11, verify(digest)).IsOk);
        var changed = (byte[])digest.Clone();
        changed[0] ^= 1;
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceSignatureFailure, rig.Raw(0x32, 0x11, verify(changed)).Code);
    }

    [Theory]
    [MemberData(nameof(TrustMOnlyCurves))]
    public void ATrustM_AgreesASecret_OnTheCurve(byte alg, string curveName)
    {
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        var pub = GenerateInto(rig, alg, 0xE100, ChipState.UsageKeyAgreement);
        using var peer = ECDiffieHellman.Create(Named(curveName));
        var ecdh = rig.Raw(0x33, 0x01, [.. ChipRig.Tlv(0x01, Oid(0xE100)), .. ChipRig.Tlv(0x05, [alg]), .. ChipRig.Tlv(0x06, BitString(peer.ExportParameters(false))), .. ChipRig.Tlv(0x07, [])]);
        Assert.True(ecdh.IsOk, ecdh.ToString());
        using var chip = ECDiffieHellman.Create(PublicKey(pub, Named(curveName)));
        Assert.Equal(peer.DeriveRawSecretAgreement(chip.PublicKey), ecdh.Data);
    }

    [Fact]
    public void ACurveOtherThanTheKeys_IsRefused()
    {
        // A P-256 key in the session, CalcSSec naming Brainpool P256r1 (same size, another curve): 0x05.
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        GenerateInto(rig, 0x03, 0xE100, ChipState.UsageKeyAgreement);
        using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.brainpoolP256r1);
        var ecdh = rig.Raw(0x33, 0x01, [.. ChipRig.Tlv(0x01, Oid(0xE100)), .. ChipRig.Tlv(0x05, [0x13]), .. ChipRig.Tlv(0x06, BitString(peer.ExportParameters(false))), .. ChipRig.Tlv(0x07, [])]);
        Assert.Equal(ChipErrors.DeviceBase | 0x05, ecdh.Code);
    }

    [Theory]
    [InlineData(0x05)]
    [InlineData(0x13)]
    [InlineData(0x15)]
    [InlineData(0x16)]
    public void ATrustX_HasOnlyP256AndP384(byte alg)
    {
        using var rig = ChipRig.Opened(ChipPart.TrustX);
        Assert.Equal(ChipErrors.DeviceBase | 0x03, rig.Raw(0x38, alg, ChipRig.Tlv(0x07, [])).Code);
        Assert.True(rig.Raw(0x38, 0x04, ChipRig.Tlv(0x07, [])).IsOk);
    }

    [Fact]
    public void ALargerCurve_TakesLongerThanP256()
    {
        // DS-M Table 18 gives P-256 figures only; a larger curve is charged more, never less (EccCurve.Scaled).
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        long Keygen(byte alg)
        {
            long before = rig.Clock.NowMicroseconds;
            Assert.True(rig.Raw(0x38, alg, ChipRig.Tlv(0x07, [])).IsOk);
            return rig.Clock.NowMicroseconds - before;
        }
        long p256 = Keygen(0x03), p521 = Keygen(0x05);
        Assert.True(p521 > 4 * p256, $"P-256 {p256} µs, P-521 {p521} µs");
    }
}
