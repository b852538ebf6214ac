using System;
using nanoFramework.TestFramework;
using SecureOta.Core.Crypto;
using SecureOta.DeviceTests.Fakes;

namespace SecureOta.DeviceTests.Crypto
{
    /// <summary>SHA-256 against the FIPS 180-2 appendix B vectors, and streaming equivalence.</summary>
    [TestClass]
    public class Sha256Tests
    {
        [TestMethod]
        public void EmptyMessage_MatchesFipsVector()
        {
            Assert.AreEqual("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex.Encode(Sha256.Hash(new byte[0])));
        }

        [TestMethod]
        public void Abc_MatchesFipsVector()
        {
            Assert.AreEqual("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hex.Encode(Sha256.Hash(Ascii("abc"))));
        }

        [TestMethod]
        public void TwoBlockMessage_MatchesFipsVector()
        {
            byte[] message = Ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
            Assert.AreEqual("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", Hex.Encode(Sha256.Hash(message)));
        }

        [TestMethod]
        public void MillionA_StreamedInChunks_MatchesFipsVector()
        {
            byte[] chunk = new byte[1000];
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)'a';
            }

            Sha256 sha = new Sha256();
            for (int i = 0; i < 1000; i++)
            {
                sha.Update(chunk, 0, chunk.Length);
            }

            Assert.AreEqual(1000000L, sha.TotalBytes);
            Assert.AreEqual("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Hex.Encode(sha.Finish()));
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(55)]
        [DataRow(56)]
        [DataRow(63)]
        [DataRow(64)]
        [DataRow(65)]
        [DataRow(1000)]
        public void StreamingInAnyChunkSize_EqualsOneShot(int chunkSize)
        {
            byte[] message = Pattern(1500);
            Sha256 sha = new Sha256();
            for (int offset = 0; offset < message.Length; offset += chunkSize)
            {
                int count = chunkSize < message.Length - offset ? chunkSize : message.Length - offset;
                sha.Update(message, offset, count);
            }

            CollectionAssert.AreEqual(Sha256.Hash(message), sha.Finish());
        }

        [TestMethod]
        public void Finish_ResetsForTheNextMessage()
        {
            Sha256 sha = new Sha256();
            sha.Update(Ascii("garbage"), 0, 7);
            sha.Finish();
            sha.Update(Ascii("abc"), 0, 3);
            Assert.AreEqual("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hex.Encode(sha.Finish()));
        }

        [TestMethod]
        public void Update_RejectsRangesOutsideTheBuffer()
        {
            Sha256 sha = new Sha256();
            byte[] data = new byte[8];
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => sha.Update(data, 4, 5));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => sha.Update(data, -1, 1));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => sha.Update(data, 2, 0x7FFFFFFF));
            Assert.ThrowsException(typeof(ArgumentNullException), () => sha.Update(null, 0, 0));
            Assert.AreEqual(0L, sha.TotalBytes);
        }

        [TestMethod]
        public void Finish_RejectsAnOutputWithoutRoom()
        {
            Sha256 sha = new Sha256();
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => sha.Finish(new byte[40], 9));
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

        private static byte[] Pattern(int length)
        {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++)
            {
                b[i] = (byte)((i * 31) + 7);
            }

            return b;
        }
    }
}
