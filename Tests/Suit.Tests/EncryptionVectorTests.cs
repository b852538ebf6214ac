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
        Assert.Equal("kid-1", Encoding.ASCII.GetString(info.KeyId!));

        var aes = Factory(factory);
        var cek = AesKeyWrap.Unwrap(aes.Create(Kek), info.WrappedKey);
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
    public void EncodedInfo_RoundTrips()
    {
        var original = new CoseEncryptInfo { Iv = new byte[16], KeyId = [1, 2], Salt = new byte[32], WrappedKey = new byte[24] };
        var encoded = original.Encode();
        var parsed = CoseEncryptInfo.Parse(encoded, 0, encoded.Length);
        Assert.Equal(original.KeyId, parsed.KeyId);
        Assert.Equal(original.Salt, parsed.Salt);
        Assert.Equal(encoded, parsed.Encode());
    }
}
