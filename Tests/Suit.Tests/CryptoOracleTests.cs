using System.Security.Cryptography;
using System.Text;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>The managed crypto of the device subset against published vectors and against .NET as the oracle.</summary>
public sealed class CryptoOracleTests
{
    private static byte[] H(string hex) => Convert.FromHexString(hex);

    [Fact]
    public void Aes128_MatchesFips197AppendixC1()
    {
        var aes = new Aes128(H("000102030405060708090a0b0c0d0e0f"));
        var block = H("00112233445566778899aabbccddeeff");
        aes.EncryptBlock(block, 0, block, 0);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Convert.ToHexString(block).ToLowerInvariant());
        aes.DecryptBlock(block, 0, block, 0);
        Assert.Equal("00112233445566778899aabbccddeeff", Convert.ToHexString(block).ToLowerInvariant());
    }

    [Fact]
    public void Aes128_MatchesDotNet_OnRandomKeysAndBlocks()
    {
        var random = new Random(11);
        for (int i = 0; i < 300; i++)
        {
            var key = new byte[16];
            var block = new byte[16];
            random.NextBytes(key);
            random.NextBytes(block);
            var managed = new Aes128(key);
            using var reference = new DotNetAesBlock(key);
            var a = new byte[16];
            var b = new byte[16];
            managed.EncryptBlock(block, 0, a, 0);
            reference.EncryptBlock(block, 0, b, 0);
            Assert.Equal(b, a);
            managed.DecryptBlock(block, 0, a, 0);
            reference.DecryptBlock(block, 0, b, 0);
            Assert.Equal(b, a);
        }
    }

    [Fact]
    public void AesKeyWrap_MatchesRfc3394Section4_1()
    {
        var kek = new Aes128(H("000102030405060708090A0B0C0D0E0F"));
        var wrapped = AesKeyWrap.Wrap(kek, H("00112233445566778899AABBCCDDEEFF"));
        Assert.Equal("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5", Convert.ToHexString(wrapped));
        Assert.Equal("00112233445566778899AABBCCDDEEFF", Convert.ToHexString(AesKeyWrap.Unwrap(kek, wrapped)!));
    }

    [Fact]
    public void AesKeyWrap_AnyModifiedBit_FailsClosed()
    {
        var kek = new Aes128(H("000102030405060708090A0B0C0D0E0F"));
        var wrapped = AesKeyWrap.Wrap(kek, H("00112233445566778899AABBCCDDEEFF"));
        for (int bit = 0; bit < wrapped.Length * 8; bit++)
        {
            var bad = (byte[])wrapped.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Null(AesKeyWrap.Unwrap(kek, bad));
        }
        Assert.Null(AesKeyWrap.Unwrap(kek, wrapped[..16]));
        Assert.Null(AesKeyWrap.Unwrap(kek, wrapped[..23]));
    }

    [Fact]
    public void AesCtr_MatchesSp80038aF51()
    {
        var ctr = new AesCtr(new Aes128(H("2b7e151628aed2a6abf7158809cf4f3c")), H("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
        var data = H("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        ctr.Transform(data, 0, data.Length);
        Assert.Equal("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
            Convert.ToHexString(data).ToLowerInvariant());
    }

    [Fact]
    public void AesCtr_StreamsInAnyChunks_SeeksAndWrapsTheCounter_LikeAnIndependentCtr()
    {
        var random = new Random(5);
        var key = new byte[16];
        random.NextBytes(key);
        var iv = Enumerable.Repeat((byte)0xFF, 16).ToArray(); // the counter wraps after the first block
        iv[0] = 0xFF;
        var data = new byte[5000];
        random.NextBytes(data);

        var expected = (byte[])data.Clone();
        using (var aes = Aes.Create())
        {
            aes.Key = key;
            var counter = (byte[])iv.Clone();
            var stream = new byte[16];
            for (int i = 0; i < expected.Length; i += 16)
            {
                aes.EncryptEcb(counter, stream, PaddingMode.None);
                for (int k = 0; k < 16 && i + k < expected.Length; k++) expected[i + k] ^= stream[k];
                for (int c = 15; c >= 0 && ++counter[c] == 0; c--) { }
            }
        }

        var actual = (byte[])data.Clone();
        var ctr = new AesCtr(new Aes128(key), iv);
        for (int offset = 0; offset < actual.Length;)
        {
            int n = Math.Min(random.Next(1, 100), actual.Length - offset);
            ctr.Transform(actual, offset, n);
            offset += n;
        }
        Assert.Equal(expected, actual);

        var resumed = (byte[])data.Clone();
        var seek = new AesCtr(new DotNetAesBlock(key), iv);
        seek.Seek(1234);
        seek.Transform(resumed, 1234, resumed.Length - 1234);
        Assert.Equal(expected[1234..], resumed[1234..]);
    }

    [Fact]
    public void AesCtr_OverAChunkCipher_GivesTheManagedStream_ThroughSeeksAndFallbacks()
    {
        // Issue 14: a block cipher that transforms whole chunks (native code on the board, .NET here) is used
        // for each Transform; when it declines a call, the managed keystream takes over at the same position.
        var random = new Random(7);
        var key = new byte[16];
        random.NextBytes(key);
        var iv = new byte[16];
        random.NextBytes(iv);
        iv[15] = 0xF0; // the counter carries into the byte before within the message
        var data = new byte[9000];
        random.NextBytes(data);
        var expected = (byte[])data.Clone();
        new AesCtr(new Aes128(key), iv).Transform(expected, 0, expected.Length);

        using var dotnet = new DotNetAesBlock(key);
        var sometimes = new Declining(dotnet, random);
        var actual = (byte[])data.Clone();
        var ctr = new AesCtr(sometimes, iv);
        int at = 0;
        while (at < actual.Length)
        {
            if (random.Next(5) == 0)
            {
                at = random.Next(at + 1); // a resume: back to a position already passed, redo from there
                Array.Copy(data, at, actual, at, actual.Length - at);
                ctr.Seek(at);
            }
            int n = Math.Min(random.Next(0, 700), actual.Length - at);
            ctr.Transform(actual, at, n);
            at += n;
        }
        Assert.Equal(expected, actual);
        Assert.True(sometimes.Taken > 10 && sometimes.Declined > 10, $"{sometimes.Taken} chunk calls, {sometimes.Declined} declined");
    }

    private sealed class Declining(DotNetAesBlock inner, Random random) : IAesBlock, IAesCtrTransform
    {
        public int Taken, Declined;

        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset) => inner.EncryptBlock(input, inputOffset, output, outputOffset);

        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset) => inner.DecryptBlock(input, inputOffset, output, outputOffset);

        public bool TransformCtr(byte[] iv, long position, byte[] data, int offset, int count)
        {
            if (random.Next(3) == 0) { Declined++; return false; }
            Taken++;
            return inner.TransformCtr(iv, position, data, offset, count);
        }
    }

    [Fact]
    public void HmacSha256_MatchesDotNet_ForKeysShorterAndLongerThanABlock()
    {
        var random = new Random(3);
        foreach (int keyLength in new[] { 0, 1, 20, 32, 63, 64, 65, 131 })
        {
            var key = new byte[keyLength];
            var message = new byte[random.Next(0, 300)];
            random.NextBytes(key);
            random.NextBytes(message);
            var hmac = new HmacSha256(new Sha256(), key);
            hmac.Update(message, 0, message.Length);
            var mac = new byte[32];
            hmac.Finish(mac, 0);
            Assert.Equal(HMACSHA256.HashData(key, message), mac);
        }
    }

    [Fact]
    public void Tls12Prf_MatchesThePublishedSha256Vector()
    {
        var labelAndSeed = Encoding.ASCII.GetBytes("test label").Concat(H("a0ba9f936cda311827a6f796ffd5198c")).ToArray();
        var output = Tls12Prf.Derive(new Sha256(), H("9bbe436ba940f017b17652849a71db35"), labelAndSeed, 100);
        Assert.Equal("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66",
            Convert.ToHexString(output).ToLowerInvariant());
    }

    [Fact]
    public void Tls12Prf_ManagedAndDotNetHashes_Agree()
    {
        var random = new Random(9);
        for (int i = 0; i < 20; i++)
        {
            var secret = new byte[random.Next(16, 65)];
            var seed = new byte[random.Next(8, 200)];
            random.NextBytes(secret);
            random.NextBytes(seed);
            int length = random.Next(1, 100);
            using var dotnet = new DotNetSha256();
            Assert.Equal(Tls12Prf.Derive(dotnet, secret, seed, length), Tls12Prf.Derive(new Sha256(), secret, seed, length));
        }
    }

    [Fact]
    public void Sha256_DotNetAdapter_AndManaged_AgreeOnManyLengths()
    {
        var random = new Random(1);
        using var dotnet = new DotNetSha256();
        var managed = new Sha256();
        for (int length = 0; length < 600; length += 7)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var a = new byte[32];
            var b = new byte[32];
            dotnet.Update(data, 0, length);
            dotnet.Finish(a, 0);
            managed.Update(data, 0, length);
            managed.Finish(b, 0);
            Assert.Equal(a, b);
        }
    }
}
