using nanoFramework.TestFramework;
using SecureOta.Core.Crypto;
using SecureOta.DeviceTests.Fakes;

namespace SecureOta.DeviceTests.Crypto
{
    /// <summary>
    /// HKDF-SHA256 against RFC 5869 Appendix A (the ES-DH recipient's KEK derivation runs it on the
    /// board), and SHA-256's exported intermediate state continuing in another instance.
    /// </summary>
    [TestClass]
    public class HkdfAndStateTests
    {
        [TestMethod]
        public void Hkdf_MatchesRfc5869TestCase1()
        {
            byte[] okm = HkdfSha256.Derive(new Sha256(), Hex.Decode("000102030405060708090a0b0c"), Hex.Decode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), Hex.Decode("f0f1f2f3f4f5f6f7f8f9"), 42);
            Assert.AreEqual("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Hex.Encode(okm));
        }

        [TestMethod]
        public void Hkdf_MatchesRfc5869TestCase3_NoSaltNoInfo()
        {
            byte[] okm = HkdfSha256.Derive(new Sha256(), null, Hex.Decode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), new byte[0], 42);
            Assert.AreEqual("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8", Hex.Encode(okm));
        }

        [TestMethod]
        public void Sha256State_ExportedMidBlock_ContinuesToTheSameDigest()
        {
            byte[] message = new byte[150];
            for (int i = 0; i < message.Length; i++)
            {
                message[i] = (byte)i;
            }

            Sha256 first = new Sha256();
            first.Update(message, 0, 77);
            byte[] state = new byte[Sha256.StateLength];
            first.ExportState(state, 0);
            Sha256 second = new Sha256();
            Assert.IsTrue(second.ImportState(state, 0));
            second.Update(message, 77, message.Length - 77);
            Assert.AreEqual(Hex.Encode(Sha256.Hash(message)), Hex.Encode(second.Finish()));
        }
    }
}
