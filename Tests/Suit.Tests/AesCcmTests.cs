using System.Security.Cryptography;
using SecureOta.Core.Crypto;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>The managed AES-CCM-8 (shielded connection records) against .NET's AesCcm.</summary>
public sealed class AesCcmTests
{
    [Fact]
    public void SealAndOpen_MatchDotNet_ForManyLengths()
    {
        var random = new Random(17);
        for (int round = 0; round < 60; round++)
        {
            var key = new byte[16]; var nonce = new byte[8];
            var aad = new byte[random.Next(0, 40)]; var plain = new byte[random.Next(0, 300)];
            random.NextBytes(key); random.NextBytes(nonce); random.NextBytes(aad); random.NextBytes(plain);
            var sealedData = new SecureOta.Core.Crypto.AesCcm(new Aes128(key)).Seal(nonce, aad, plain);
            var expectedCipher = new byte[plain.Length];
            var expectedTag = new byte[8];
            using (var reference = new System.Security.Cryptography.AesCcm(key))
                reference.Encrypt(nonce, plain, expectedCipher, expectedTag, aad);
            Assert.Equal([.. expectedCipher, .. expectedTag], sealedData);
            Assert.Equal(plain, new SecureOta.Core.Crypto.AesCcm(new Aes128(key)).Open(nonce, aad, sealedData));
        }
    }

    [Fact]
    public void Open_RefusesAnyModifiedByte()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(8);
        var ccm = new SecureOta.Core.Crypto.AesCcm(new Aes128(key));
        var sealedData = ccm.Seal(nonce, [1, 2, 3], "record"u8.ToArray());
        for (int i = 0; i < sealedData.Length; i++)
        {
            var bad = (byte[])sealedData.Clone();
            bad[i] ^= 0x40;
            Assert.Null(ccm.Open(nonce, [1, 2, 3], bad));
        }
        Assert.Null(ccm.Open(nonce, [1, 2, 4], sealedData));
    }
}
