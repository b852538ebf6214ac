using System.Formats.Asn1;
using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// The Trust M V3 commands the vendor host library's examples use (M-CMD): GenSymKey, EncryptSym and
/// DecryptSym (ECB, CBC chained, CBC-MAC, CMAC, HMAC), RSA key pairs, signatures and RSAES, the
/// pre-master secret into a session; and that a Trust X refuses them as an unknown command.
/// </summary>
public sealed class TrustMV3CommandTests
{
    // EncryptSym/DecryptSym InData: key OID, sequence, length, data, then TLVs.
    private static byte[] Sym(int oid, byte sequence, byte[] data, params byte[][] tlvs) =>
        [(byte)(oid >> 8), (byte)oid, sequence, (byte)(data.Length >> 8), (byte)data.Length, .. data, .. tlvs.SelectMany(t => t)];

    private static byte[] Out(ChipResult r)
    {
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(0x61, r.Data[0]);
        return r.Data[3..];
    }

    [Fact]
    public void AesModes_MatchTheirDefinitions()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        Assert.True(rig.Raw(0x39, 0x81, [0x01, 0x00, 0x02, 0xE2, 0x00, 0x02, 0x00, 0x01, 0x02 | 0x10]).IsOk); /* GenSymKey AES-128 into E200 */
        var exported = rig.Raw(0x39, 0x81, [0x07, 0x00, 0x00]);
        Assert.Equal(16, exported.Data.Length - 3);
        // With a known key in E200 (RFC 4493's), so the outputs can be checked.
        var key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
        rig.State.Objects[0xE200].SymmetricKey = key;
        using var aes = Aes.Create();
        aes.Key = key;
        var plain = RandomNumberGenerator.GetBytes(64);
        var ecb = Out(rig.Raw(0x14, 0x08, Sym(0xE200, 1, plain)));
        Assert.Equal(aes.EncryptEcb(plain, PaddingMode.None), ecb);
        Assert.Equal(plain, Out(rig.Raw(0x15, 0x08, Sym(0xE200, 1, ecb))));
        // CBC chained over start / continue / final equals CBC over the whole, IV given once.
        var iv = RandomNumberGenerator.GetBytes(16);
        byte[] ivTlv = [0x41, 0x00, 0x10, .. iv];
        var c1 = Out(rig.Raw(0x14, 0x09, Sym(0xE200, 0, plain[..16], ivTlv)));
        var c2 = Out(rig.Raw(0x14, 0x09, Sym(0xE200, 2, plain[16..48])));
        var c3 = Out(rig.Raw(0x14, 0x09, Sym(0xE200, 3, plain[48..])));
        byte[] chained = [.. c1, .. c2, .. c3];
        Assert.Equal(aes.EncryptCbc(plain, iv, PaddingMode.None), chained);
        // CMAC: RFC 4493 section 4, examples 1 and 2.
        Assert.Equal("BB1D6929E95937287FA37D129B756746", Convert.ToHexString(Out(rig.Raw(0x14, 0x0B, Sym(0xE200, 1, [])))));
        Assert.Equal("070A16B46B4D4144F79BDD9DD04A287C", Convert.ToHexString(Out(rig.Raw(0x14, 0x0B, Sym(0xE200, 1, Convert.FromHexString("6BC1BEE22E409F96E93D7E117393172A"))))));
        // CBC-MAC over two packets: only the final one answers.
        Assert.Empty(rig.Raw(0x14, 0x0A, Sym(0xE200, 0, plain[..32])).Data);
        Assert.Equal(aes.EncryptCbc(plain, new byte[16], PaddingMode.None)[^16..], Out(rig.Raw(0x14, 0x0A, Sym(0xE200, 3, plain[32..]))));
        // A continue without a start is out of sequence.
        Assert.Equal(ChipErrors.DeviceBase | 0x0B, rig.Raw(0x14, 0x09, Sym(0xE200, 2, plain[..16])).Code);
    }

    [Fact]
    public void Hmac_UsesAPresSecDataObject()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        var secret = rig.State.Objects[0xF1D0].Data;  /* the provisioned master secret: PRESSEC */
        var data = RandomNumberGenerator.GetBytes(300);
        Assert.Equal(HMACSHA256.HashData(secret, data), Out(rig.Raw(0x14, 0x20, Sym(0xF1D0, 1, data))));
        Assert.Equal(ChipErrors.DeviceBase | ChipErrors.DeviceAccessConditions, rig.Raw(0x14, 0x20, Sym(0xF1D5, 1, data)).Code); /* not a secret */
    }

    [Fact]
    public void Rsa_KeyPairSignatureEncryption_AndThePreMasterSecret()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        var gen = rig.Raw(0x38, 0x42, [0x01, 0x00, 0x02, 0xE0, 0xFC, 0x02, 0x00, 0x01, 0x12]); /* usage Sign | Enc */
        Assert.True(gen.IsOk, gen.ToString());
        var bits = gen.Data[3..];
        var inner = new AsnReader(bits, AsnEncodingRules.DER).ReadBitString(out _);
        using var pub = RSA.Create();
        pub.ImportRSAPublicKey(inner, out _);
        Assert.Equal(2048, pub.KeySize);

        var digest = SHA256.HashData("message"u8.ToArray());
        var sig = rig.Raw(0x31, 0x01, [0x01, 0x00, 0x20, .. digest, 0x03, 0x00, 0x02, 0xE0, 0xFC]);
        Assert.True(pub.VerifyHash(digest, sig.Data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        byte[] keyTlvs = [0x05, 0x00, 0x01, 0x42, 0x06, (byte)(bits.Length >> 8), (byte)bits.Length, .. bits];
        Assert.True(rig.Raw(0x32, 0x01, [0x01, 0x00, 0x20, .. digest, 0x02, (byte)(sig.Data.Length >> 8), (byte)sig.Data.Length, .. sig.Data, .. keyTlvs]).IsOk);
        digest[0] ^= 1;
        Assert.Equal(ChipErrors.DeviceBase | 0x2C, rig.Raw(0x32, 0x01, [0x01, 0x00, 0x20, .. digest, 0x02, (byte)(sig.Data.Length >> 8), (byte)sig.Data.Length, .. sig.Data, .. keyTlvs]).Code);

        var message = RandomNumberGenerator.GetBytes(40);
        var cipher = rig.Raw(0x1E, 0x11, [0x61, 0x00, (byte)message.Length, .. message, .. keyTlvs]).Data[3..];
        Assert.Equal(message, rig.Raw(0x1F, 0x11, [0x61, 0x01, 0x00, .. cipher, 0x03, 0x00, 0x02, 0xE0, 0xFC]).Data[3..]);

        // A pre-master secret (version 03 03 and 46 random bytes) into a session, sent RSA-encrypted.
        Assert.True(rig.Raw(0x0C, 0x04, [0x00, 0x30, 0xE1, 0x00, 0x41, 0x00, 0x02, 0x03, 0x03]).IsOk);
        var sessionCipher = rig.Raw(0x1E, 0x11, [0x02, 0x00, 0x02, 0xE1, 0x00, .. keyTlvs]).Data[3..];
        var pms = rig.Raw(0x1F, 0x11, [0x61, 0x01, 0x00, .. sessionCipher, 0x03, 0x00, 0x02, 0xE0, 0xFC]).Data[3..];
        Assert.Equal(48, pms.Length);
        Assert.Equal(new byte[] { 0x03, 0x03 }, pms[..2]);
    }

    [Fact]
    public void ATrustX_RefusesTheTrustMV3Commands()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustX);
        foreach (var cmd in new byte[] { 0x14, 0x15, 0x39, 0x1E, 0x1F, 0x03 })
            Assert.Equal(ChipErrors.DeviceBase | 0x0A, rig.Raw(cmd, 0x08, [0xE2, 0x00, 0x01, 0x00, 0x00]).Code);
        Assert.Equal(ChipErrors.DeviceBase | 0x03, rig.Raw(0x38, 0x42, [0x01, 0x00, 0x02, 0xE0, 0xF3, 0x02, 0x00, 0x01, 0x10]).Code); /* no RSA */
        Assert.True(rig.Raw(0x01, 0x00, [0xE0, 0xC6]).IsOk); /* the whole object by OID, as the Trust X host reads E0C6 */
    }
}
