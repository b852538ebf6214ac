using nanoFramework.TestFramework;
using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;

namespace SecureOta.DeviceTests.Chip
{
    /// <summary>
    /// The chip driver's byte-level logic on the board itself: FCS, frames of the datasheet trace, command
    /// APDUs and the signature format (the emulator-backed tests are host-only: Tests/Chip.Tests).
    /// </summary>
    [TestClass]
    public class ChipFrameDeviceTests
    {
        [TestMethod]
        public void Crc16Kermit_CheckValue()
        {
            byte[] check = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };
            Assert.AreEqual((ushort)0x2189, Crc16Kermit.Compute(check, 0, 9));
        }

        [TestMethod]
        public void ControlAck_IsTheDatasheetFrame()
        {
            byte[] frame = new byte[5];
            DataLinkLayer.BuildFrame(0x80, null, 0, frame);
            Assert.AreEqual("8000000cec", Hex.Encode(frame));
        }

        [TestMethod]
        public void OpenApplicationFrame_IsTheDatasheetFrame()
        {
            byte[] apdu = new OpenApplication().GetBytes();
            byte[] packet = new byte[apdu.Length + 1];
            System.Array.Copy(apdu, 0, packet, 1, apdu.Length);
            byte[] frame = new byte[packet.Length + 5];
            DataLinkLayer.BuildFrame(0x03, packet, packet.Length, frame);
            Assert.AreEqual("0300150070000010d2760000044765" + "6e41757468" + "4170706c" + "041a", Hex.Encode(frame));
        }

        [TestMethod]
        public void GetDataObjectApdu_ReadsTheUid()
        {
            Assert.AreEqual("01000006e0c200000064", Hex.Encode(new GetDataObject(0xE0C2, 0, 0x64).GetBytes()));
        }

        [TestMethod]
        public void EcdsaSignature_RoundTrips()
        {
            byte[] raw = new byte[64];
            raw[0] = 0x80;
            raw[63] = 0x01;
            byte[] chip = EcdsaSignature.ToChip(raw);
            Assert.AreEqual((byte)0x21, chip[1]);
            CollectionAssert.AreEqual(raw, EcdsaSignature.FromChip(chip));
        }
    }
}
