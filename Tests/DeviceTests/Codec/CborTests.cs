using System;
using nanoFramework.TestFramework;
using SecureOta.Core.Cbor;
using SecureOta.DeviceTests.Fakes;

namespace SecureOta.DeviceTests.Codec
{
    /// <summary>CBOR (RFC 8949) reader and writer: shortest encodings, round trips, bounded reads.</summary>
    [TestClass]
    public class CborTests
    {
        [TestMethod]
        [DataRow(0L, "00")]
        [DataRow(23L, "17")]
        [DataRow(24L, "1818")]
        [DataRow(255L, "18ff")]
        [DataRow(256L, "190100")]
        [DataRow(65536L, "1a00010000")]
        [DataRow(4294967296L, "1b0000000100000000")]
        [DataRow(-1L, "20")]
        [DataRow(-25L, "3818")]
        [DataRow(-65534L, "39fffd")]
        public void Integers_UseTheShortestEncoding_AndRoundTrip(long value, string hex)
        {
            CborWriter w = new CborWriter();
            w.WriteInt64(value);
            byte[] encoded = w.ToArray();
            Assert.AreEqual(hex, Hex.Encode(encoded));
            CborReader r = new CborReader(encoded, 0, encoded.Length);
            Assert.AreEqual(value, r.ReadInt64());
            Assert.IsTrue(r.AtEnd);
        }

        [TestMethod]
        public void Strings_RoundTrip_IncludingNonAscii()
        {
            CborWriter w = new CborWriter(4);
            w.WriteTextString("Grüße 🚀");
            w.WriteByteString(new byte[] { 1, 2, 3 });
            byte[] encoded = w.ToArray();
            CborReader r = new CborReader(encoded, 0, encoded.Length);
            Assert.AreEqual("Grüße 🚀", r.ReadTextString(64));
            int length;
            int offset = r.ReadByteString(out length);
            Assert.AreEqual(3, length);
            Assert.AreEqual((byte)3, encoded[offset + 2]);
        }

        [TestMethod]
        public void ByteStringLongerThanTheBuffer_IsTruncated()
        {
            byte[] data = Hex.Decode("5a0000000401"); // bstr of 4 bytes, 1 present
            CborReader r = new CborReader(data, 0, data.Length);
            AssertCbor(CborError.Truncated, r, 0);
        }

        [TestMethod]
        public void IndefiniteLengths_AreRejected()
        {
            byte[] data = Hex.Decode("9fff");
            CborReader r = new CborReader(data, 0, data.Length);
            AssertCbor(CborError.IndefiniteLength, r, 1);
        }

        [TestMethod]
        public void ArrayCount_IsBoundedByTheBytesLeft()
        {
            byte[] data = Hex.Decode("9b7fffffffffffffff00");
            CborReader r = new CborReader(data, 0, data.Length);
            AssertCbor(CborError.Truncated, r, 1);
        }

        [TestMethod]
        public void InvalidUtf8_IsRejected()
        {
            byte[] data = Hex.Decode("62c328"); // text(2) with a broken two-byte sequence
            CborReader r = new CborReader(data, 0, data.Length);
            AssertCbor(CborError.InvalidUtf8, r, 2);
        }

        [TestMethod]
        public void SkipItem_BoundsNesting()
        {
            byte[] data = new byte[40];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = 0x81; // [[[[...
            }

            CborReader r = new CborReader(data, 0, data.Length);
            AssertCbor(CborError.TooDeep, r, 3);
        }

        // what: 0 read a byte string, 1 read an array header, 2 read a text string, 3 skip an item
        private static void AssertCbor(CborError expected, CborReader r, int what)
        {
            try
            {
                if (what == 0)
                {
                    int length;
                    r.ReadByteString(out length);
                }
                else if (what == 1)
                {
                    r.ReadArrayHeader();
                }
                else if (what == 2)
                {
                    r.ReadTextString(64);
                }
                else
                {
                    r.SkipItem();
                }
            }
            catch (CborException e)
            {
                Assert.AreEqual((int)expected, (int)e.Error);
                return;
            }

            Assert.IsTrue(false, "no CborException");
        }
    }
}
