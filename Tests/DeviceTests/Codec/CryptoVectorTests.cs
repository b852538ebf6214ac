using nanoFramework.TestFramework;
using SecureOta.Core.Crypto;
using SecureOta.DeviceTests.Fakes;

namespace SecureOta.DeviceTests.Codec
{
    /// <summary>The managed primitives against published vectors (on the board as on the host).</summary>
    [TestClass]
    public class CryptoVectorTests
    {
        [TestMethod]
        public void Aes128_Fips197AppendixC1()
        {
            Aes128 aes = new Aes128(Hex.Decode("000102030405060708090a0b0c0d0e0f"));
            byte[] block = Hex.Decode("00112233445566778899aabbccddeeff");
            aes.EncryptBlock(block, 0, block, 0);
            Assert.AreEqual("69c4e0d86a7b0430d8cdb78070b4c55a", Hex.Encode(block));
            aes.DecryptBlock(block, 0, block, 0);
            Assert.AreEqual("00112233445566778899aabbccddeeff", Hex.Encode(block));
        }

        [TestMethod]
        public void AesKeyWrap_Rfc3394Section4_1_AndFailsClosed()
        {
            Aes128 kek = new Aes128(Hex.Decode("000102030405060708090a0b0c0d0e0f"));
            byte[] wrapped = AesKeyWrap.Wrap(kek, Hex.Decode("00112233445566778899aabbccddeeff"));
            Assert.AreEqual("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5", Hex.Encode(wrapped));
            Assert.AreEqual("00112233445566778899aabbccddeeff", Hex.Encode(AesKeyWrap.Unwrap(kek, wrapped)));
            wrapped[5] ^= 0x40;
            Assert.IsNull(AesKeyWrap.Unwrap(kek, wrapped));
        }

        [TestMethod]
        public void AesCtr_Sp80038aF51_InOddChunks()
        {
            AesCtr ctr = new AesCtr(new Aes128(Hex.Decode("2b7e151628aed2a6abf7158809cf4f3c")), Hex.Decode("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
            byte[] data = Hex.Decode("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
            ctr.Transform(data, 0, 5);
            ctr.Transform(data, 5, 30);
            ctr.Transform(data, 35, data.Length - 35);
            Assert.AreEqual("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee", Hex.Encode(data));
        }

        [TestMethod]
        public void HmacSha256_Rfc4231TestCase2()
        {
            HmacSha256 hmac = new HmacSha256(new Sha256(), Ascii("Jefe"));
            byte[] data = Ascii("what do ya want for nothing?");
            hmac.Update(data, 0, data.Length);
            byte[] mac = new byte[32];
            hmac.Finish(mac, 0);
            Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Hex.Encode(mac));
        }

        [TestMethod]
        public void Tls12Prf_PublishedSha256Vector()
        {
            byte[] label = Ascii("test label");
            byte[] seed = Hex.Decode("a0ba9f936cda311827a6f796ffd5198c");
            byte[] labelAndSeed = new byte[label.Length + seed.Length];
            System.Array.Copy(label, labelAndSeed, label.Length);
            System.Array.Copy(seed, 0, labelAndSeed, label.Length, seed.Length);
            byte[] output = Tls12Prf.Derive(new Sha256(), Hex.Decode("9bbe436ba940f017b17652849a71db35"), labelAndSeed, 100);
            Assert.AreEqual("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66", Hex.Encode(output));
        }

        private static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                b[i] = (byte)s[i];
            }

            return b;
        }
    }
}
