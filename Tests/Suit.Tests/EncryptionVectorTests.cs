using System.Text;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>The AES-KW + AES-128-CTR example of draft-ietf-suit-firmware-encryption-24.</summary>
public sealed class EncryptionVectorTests
{
    private static readonly byte[] Kek = Encoding.ASCII.GetBytes("aaaaaaaaaaaaaaaa");

    public static TheoryData<string> Factories => new() { "managed", "dotnet" };

    private static IAesFactory Factory(string name) => name == "managed" ? new ManagedAesFactory() : new DotNetAesFactory();

    [Theory]
    [MemberData(nameof(Factories))]
    public void DraftExample_UnwrapsAndDecrypts(string factory)
    {
        var infoBytes = Vectors.Hex("suit-encryption/suit-encryption-info-aes-kw-aes-ctr.hex");
        var info = CoseEncryptInfo.Parse(infoBytes, 0, infoBytes.Length);
        Assert.Equal("DAE613B2E0DC55F4322BE38BDBA9DC68", Convert.ToHexString(info.Iv));
        var recipient = Assert.Single(info.Recipients);
        Assert.True(recipient.IsKeyWrap);
        Assert.Equal("kid-1", Encoding.ASCII.GetString(recipient.KeyId!));

        var aes = Factory(factory);
        var cek = AesKeyWrap.Unwrap(aes.Create(Kek), recipient.WrappedKey);
        Assert.Equal("261DE6165070FB8951EC5D7B92A065FE", Convert.ToHexString(cek!));

        var ciphertext = Vectors.Hex("suit-encryption/encrypted-payload-aes-kw-aes-ctr.hex");
        var ctr = SuitPayloadCipher.OpenDecryptor(aes, Kek, info)!;
        ctr.Transform(ciphertext, 0, ciphertext.Length);
        Assert.Equal("This is a real firmware image.", Encoding.ASCII.GetString(ciphertext));
    }

    [Fact]
    public void WrongKek_DoesNotUnwrap()
    {
        var infoBytes = Vectors.Hex("suit-encryption/suit-encryption-info-aes-kw-aes-ctr.hex");
        var info = CoseEncryptInfo.Parse(infoBytes, 0, infoBytes.Length);
        Assert.Null(SuitPayloadCipher.OpenDecryptor(new ManagedAesFactory(), Encoding.ASCII.GetBytes("aaaaaaaaaaaaaaab"), info));
    }

    [Fact]
    public void EncodedInfo_RoundTrips_WithBothKindsOfRecipient()
    {
        var original = new CoseEncryptInfo
        {
            Iv = new byte[16],
            Recipients =
            [
                new CoseRecipient { Algorithm = CoseLabels.AlgA128Kw, KeyId = [1, 2], Salt = new byte[32], WrappedKey = new byte[24] },
                new CoseRecipient { Algorithm = CoseLabels.AlgEcdhEsA128Kw, EphemeralX = Enumerable.Repeat((byte)7, 32).ToArray(), EphemeralY = new byte[32], WrappedKey = new byte[24] },
            ],
        };
        var encoded = original.Encode();
        var parsed = CoseEncryptInfo.Parse(encoded, 0, encoded.Length);
        Assert.Equal(original.Recipients[0].KeyId, parsed.Recipients[0].KeyId);
        Assert.Equal(original.Recipients[0].Salt, parsed.Recipients[0].Salt);
        Assert.True(parsed.Recipients[1].IsEcdh);
        Assert.Equal(original.Recipients[1].EphemeralX, parsed.Recipients[1].EphemeralX);
        Assert.Equal(encoded, parsed.Encode());
    }

    /// <summary>
    /// The draft's ECDH-ES + A128KW example (section "ECDH-ES+AES-KW + AES-CTR Example", shared/vectors):
    /// our parser reads it, our writer re-encodes it byte for byte, and the receiver's key decrypts it
    /// through EsDhKek (the KEK the device derives after its chip's ECDH).
    /// </summary>
    [Theory]
    [MemberData(nameof(Factories))]
    public void DraftEsDhExample_DecryptsWithTheReceiversKey(string factory)
    {
        var infoBytes = Vectors.Hex("suit-encryption/suit-encryption-info-es-ecdh-aes-ctr.hex");
        var info = CoseEncryptInfo.Parse(infoBytes, 0, infoBytes.Length);
        Assert.Equal(infoBytes, info.Encode());
        var recipient = Assert.Single(info.Recipients);
        Assert.True(recipient.IsEcdh);
        Assert.Equal("EE0718F6B019C29CC611C18CEDE2214066DDCEDC2F0DBEF873CB224C715C1174", Convert.ToHexString(recipient.EphemeralX));

        using var receiver = System.Security.Cryptography.ECDiffieHellman.Create();
        receiver.ImportFromPem(File.ReadAllText(System.IO.Path.Combine(Vectors.Root, "suit-encryption/es-dh-recipient-private-key.pem")));
        using var ephemeral = System.Security.Cryptography.ECDiffieHellman.Create(new System.Security.Cryptography.ECParameters
        {
            Curve = System.Security.Cryptography.ECCurve.NamedCurves.nistP256,
            Q = new System.Security.Cryptography.ECPoint { X = recipient.EphemeralX, Y = recipient.EphemeralY },
        });
        var z = receiver.DeriveRawSecretAgreement(ephemeral.PublicKey);
        var kek = EsDhKek.DeriveKek(new Sha256(), z);
        var aes = Factory(factory);
        Assert.Equal("261DE6165070FB8951EC5D7B92A065FE", Convert.ToHexString(AesKeyWrap.Unwrap(aes.Create(kek), recipient.WrappedKey)!));
        var ciphertext = Vectors.Hex("suit-encryption/encrypted-payload-es-ecdh-aes-ctr.hex");
        var ctr = SuitPayloadCipher.OpenDecryptor(aes, kek, recipient, info.Iv)!;
        ctr.Transform(ciphertext, 0, ciphertext.Length);
        Assert.Equal("This is a real firmware image.", Encoding.ASCII.GetString(ciphertext));
    }

    [Fact]
    public void HkdfSha256_MatchesRfc5869AndDotNet()
    {
        // RFC 5869 Appendix A.1.
        var okm = HkdfSha256.Derive(new Sha256(), Convert.FromHexString("000102030405060708090a0b0c"), Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9"), 42);
        Assert.Equal("3CB25F25FAACD57A90434F64D0362F2A2D2D0A90CF1A5A4C5DB02D56ECC4C5BF34007208D5B887185865", Convert.ToHexString(okm));
        var ikm = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var info = System.Security.Cryptography.RandomNumberGenerator.GetBytes(40);
        Assert.Equal(System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, ikm, 70, null, info),
            HkdfSha256.Derive(new Sha256(), null, ikm, info, 70));
    }

    [Fact]
    public void TheKdfContext_IsTheDraftsProfile()
    {
        // [-3, [null, null, null], [null, null, null], [128, h'A101381C', 'SUIT Payload Encryption' as bstr]]
        Assert.Equal("8422" + "83F6F6F6" + "83F6F6F6" + "831880" + "44A101381C" + "57" + Convert.ToHexString(Encoding.ASCII.GetBytes("SUIT Payload Encryption")),
            Convert.ToHexString(EsDhKek.KdfContext()));
    }
}
