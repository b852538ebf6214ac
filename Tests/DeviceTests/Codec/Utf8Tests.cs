using System;
using nanoFramework.TestFramework;
using SecureOta.Core.Cbor;
using SecureOta.DeviceTests.Fakes;

namespace SecureOta.DeviceTests.Codec
{
    /// <summary>
    /// Strict UTF-8 for CBOR text with supplementary-plane characters. On the nanoCLR, String.get_Chars
    /// returns the high surrogate for both halves of such a character, so an encoder that indexes the
    /// string rejects "🚀" as an unpaired surrogate there while passing on the host twin; these tests
    /// are the board's check of the ToCharArray path (the host cannot reproduce the interpreter's indexer).
    /// </summary>
    [TestClass]
    public class Utf8Tests
    {
        [TestMethod]
        public void RocketU1F680_EncodesToItsFourBytes()
        {
            Assert.AreEqual("f09f9a80", Hex.Encode(Utf8.Encode("🚀")));
        }

        [TestMethod]
        public void SupplementaryCharacterBetweenAsciiAndLatin1_Encodes()
        {
            Assert.AreEqual("61f09f9a80c3bc62", Hex.Encode(Utf8.Encode("a🚀üb")));
        }

        [TestMethod]
        public void SupplementaryCharacter_DecodesToBothSurrogates()
        {
            byte[] bytes = Hex.Decode("f09f9a80");
            string text = Utf8.Decode(bytes, 0, bytes.Length);
            char[] units = text.ToCharArray();
            Assert.AreEqual(2, units.Length);
            Assert.AreEqual(0xD83D, (int)units[0]);
            Assert.AreEqual(0xDE80, (int)units[1]);
        }

        [TestMethod]
        public void TextBuiltFromCodeUnits_RoundTrips()
        {
            string text = new string(new char[] { 'x', (char)0xD83D, (char)0xDE80, 'y' });
            byte[] encoded = Utf8.Encode(text);
            Assert.AreEqual("78f09f9a8079", Hex.Encode(encoded));
            Assert.AreEqual(text, Utf8.Decode(encoded, 0, encoded.Length));
        }

        [TestMethod]
        public void UnpairedSurrogates_AreStillRejected()
        {
            Assert.ThrowsException(typeof(ArgumentException), () => Utf8.Encode(new string(new char[] { (char)0xD83D })));
            Assert.ThrowsException(typeof(ArgumentException), () => Utf8.Encode(new string(new char[] { (char)0xDE80, 'a' })));
            Assert.ThrowsException(typeof(ArgumentException), () => Utf8.Encode(new string(new char[] { (char)0xD83D, 'a' })));
        }
    }
}
