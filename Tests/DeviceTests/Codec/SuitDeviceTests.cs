using nanoFramework.TestFramework;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;
using SecureOta.Core.Suit;
using SecureOta.DeviceTests.Fakes;

namespace SecureOta.DeviceTests.Codec
{
    /// <summary>
    /// The SUIT codec as the agent uses it on the board: the draft's example 0, the firmware-encryption
    /// draft's AES-KW/CTR example, and data sets built on the device side, with the signature check
    /// answered by a stand-in for the chip.
    /// </summary>
    [TestClass]
    public class SuitDeviceTests
    {
        // draft-ietf-suit-manifest-37, Example 0 (Tests/Vectors/suit-manifest/example0.hex).
        private const string Example0 =
            "d86ba2025873825824822f58206658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7e5af584ad28443a10126a0f65840"
            + "408d0816f9b510749bf6a51b066951e08a4438f849eb092a1ac768eed9de696c1b1dd35d82ef149e6a73a61976ad2cfe78444b8064293350a1"
            + "22f332cb49f0da035871a50101020003585fa202818141000458568614a40150fa6b4a53d5ad5fdfbe9de663e4d41ffe02501492af142569"
            + "5e48bf429b2d51f2ab45035824822f582000112233445566778899aabbccddeeff0123456789abcdeffedcba98765432100e1987d0010f02"
            + "0f074382030f0943821702";

        [TestMethod]
        public void Example0_ReadsAuthenticatesAndParses()
        {
            byte[] data = Hex.Decode(Example0);
            SuitEnvelope envelope;
            Assert.IsTrue(SuitEnvelopeReader.Read(data, data.Length, data.Length, out envelope).IsOk);
            ScriptedVerifier chip = new ScriptedVerifier(true);
            Assert.IsTrue(SuitAuthenticator.Authenticate(envelope, new Sha256(), chip).IsOk);
            Assert.AreEqual(1, chip.Calls);
            Assert.AreEqual(32, chip.LastDigest.Length);
            Assert.AreEqual("408d0816f9b510749bf6a51b066951e08a4438f849eb092a1ac768eed9de696c1b1dd35d82ef149e6a73a61976ad2cfe78444b8064293350a122f332cb49f0da", Hex.Encode(chip.LastSignature));

            Assert.IsTrue(SuitManifestParser.Parse(envelope, new Sha256()).IsOk);
            SuitParameters p = envelope.Manifest.Parameters[0];
            Assert.AreEqual(0L, envelope.Manifest.SequenceNumber);
            Assert.AreEqual("fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe", Uuid.Format(p.VendorId));
            Assert.AreEqual(34768L, p.ImageSize);
        }

        [TestMethod]
        public void Example0_ChipSaysNo_IsABadSignature()
        {
            byte[] data = Hex.Decode(Example0);
            SuitEnvelope envelope;
            SuitEnvelopeReader.Read(data, data.Length, data.Length, out envelope);
            Assert.AreEqual((int)SuitError.BadSignature, (int)SuitAuthenticator.Authenticate(envelope, new Sha256(), new ScriptedVerifier(false)).Error);
        }

        [TestMethod]
        public void Example0_ModifiedManifest_FailsBeforeTheChipIsAsked()
        {
            byte[] data = Hex.Decode(Example0);
            data[data.Length - 3] ^= 0x01;
            SuitEnvelope envelope;
            SuitEnvelopeReader.Read(data, data.Length, data.Length, out envelope);
            ScriptedVerifier chip = new ScriptedVerifier(true);
            Assert.AreEqual((int)SuitError.ManifestDigestMismatch, (int)SuitAuthenticator.Authenticate(envelope, new Sha256(), chip).Error);
            Assert.AreEqual(0, chip.Calls);
        }

        [TestMethod]
        public void EncryptionDraftExample_UnwrapsAndDecrypts()
        {
            byte[] info = Hex.Decode("D8608440A20139FFFD0550DAE613B2E0DC55F4322BE38BDBA9DC68F6818340A2012204456B69642D315818CE34035CE5C2E2666E46D4C131FC561DD190A6D26CFA1990");
            byte[] payload = Hex.Decode("2BB8DB522AE978246CC775C3B0241BD4B0333FFDD2DB70C7EE7A4966E3B7");
            CoseEncryptInfo parsed = CoseEncryptInfo.Parse(info, 0, info.Length);
            byte[] kek = new byte[16];
            for (int i = 0; i < 16; i++)
            {
                kek[i] = (byte)'a';
            }

            AesCtr ctr = SuitPayloadCipher.OpenDecryptor(new ManagedAesFactory(), kek, parsed);
            ctr.Transform(payload, 0, payload.Length);
            Assert.AreEqual("This is a real firmware image.", SecureOta.Core.Cbor.Utf8.Decode(payload, 0, payload.Length));
        }

        [TestMethod]
        public void BuiltDataSet_PassesThePolicyAndThePayloadCheck()
        {
            byte[] image = new byte[3000];
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = (byte)(i * 13);
            }

            byte[] dataSet = Build(image, 7);
            SuitEnvelope envelope = Open(dataSet);
            Assert.IsTrue(Policy(6).Check(envelope).IsOk);
            PayloadVerifier payload = new PayloadVerifier(new Sha256(), envelope.Manifest.Parameters[0], null);
            for (int offset = (int)envelope.PayloadOffset; offset < dataSet.Length; offset += 1000)
            {
                int n = dataSet.Length - offset < 1000 ? dataSet.Length - offset : 1000;
                Assert.IsTrue(payload.Update(dataSet, offset, n).IsOk);
            }

            Assert.IsTrue(payload.Finish().IsOk);
        }

        [TestMethod]
        public void BuiltDataSet_OlderSequenceOrOtherClass_IsRefused()
        {
            SuitEnvelope envelope = Open(Build(new byte[10], 7));
            Assert.AreEqual((int)SuitError.RollbackAttempt, (int)Policy(7).Check(envelope).Error);
            DevicePolicy other = Policy(1);
            other.ClassId = new byte[16];
            Assert.AreEqual((int)SuitError.WrongClass, (int)other.Check(envelope).Error);
        }

        private static SuitEnvelope Open(byte[] dataSet)
        {
            SuitEnvelope envelope;
            Assert.IsTrue(SuitEnvelopeReader.Read(dataSet, dataSet.Length, dataSet.Length, out envelope).IsOk);
            Assert.IsTrue(SuitAuthenticator.Authenticate(envelope, new Sha256(), new ScriptedVerifier(true)).IsOk);
            Assert.IsTrue(SuitManifestParser.Parse(envelope, new Sha256()).IsOk);
            return envelope;
        }

        private static byte[] Build(byte[] image, long sequence)
        {
            SuitManifestSpec spec = new SuitManifestSpec();
            spec.SequenceNumber = sequence;
            spec.Component = "deploy";
            spec.VendorId = Vendor();
            spec.ClassId = Class();
            spec.ImageDigest = Sha256.Hash(image);
            spec.ImageSize = image.Length;
            spec.Version = "1.0.0";
            byte[] manifest = SuitBuilder.BuildManifest(spec);
            byte[] header = SuitBuilder.BuildEnvelopeHeader(new Sha256(), manifest, new byte[64], spec.PayloadKey, image.Length);
            byte[] dataSet = new byte[header.Length + image.Length];
            System.Array.Copy(header, dataSet, header.Length);
            System.Array.Copy(image, 0, dataSet, header.Length, image.Length);
            return dataSet;
        }

        private static DevicePolicy Policy(long current)
        {
            DevicePolicy policy = new DevicePolicy();
            policy.VendorId = Vendor();
            policy.ClassId = Class();
            policy.Components = new string[] { "deploy" };
            policy.MaxImageSizes = new long[] { 65536 };
            policy.CurrentSequence = current;
            return policy;
        }

        private static byte[] Vendor()
        {
            return Hex.Decode("fa6b4a53d5ad5fdfbe9de663e4d41ffe");
        }

        private static byte[] Class()
        {
            return Hex.Decode("1492af1425695e48bf429b2d51f2ab45");
        }
    }
}
