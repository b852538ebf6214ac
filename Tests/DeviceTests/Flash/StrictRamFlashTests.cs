using nanoFramework.TestFramework;
using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Flash;

namespace SecureOta.DeviceTests.Flash
{
    /// <summary>
    /// The strict flash fake must refuse everything NOR flash would corrupt; the agent's durability
    /// tests rely on it, so its strictness is tested first.
    /// </summary>
    [TestClass]
    public class StrictRamFlashTests
    {
        private const int Block = 4096;

        [TestMethod]
        public void NewFlash_IsErased()
        {
            StrictRamFlash flash = new StrictRamFlash(4 * Block, Block, 1);
            byte[] buffer = new byte[16];
            Assert.AreEqual((int)FlashStatus.Ok, (int)flash.Read(Block, buffer, 0, 16));
            for (int i = 0; i < buffer.Length; i++)
            {
                Assert.AreEqual((byte)0xFF, buffer[i]);
            }
        }

        [TestMethod]
        public void WriteOverErasedBytes_ReadsBack()
        {
            StrictRamFlash flash = new StrictRamFlash(4 * Block, Block, 1);
            byte[] data = new byte[] { 1, 2, 3, 4 };
            Assert.AreEqual((int)FlashStatus.Ok, (int)flash.Write(10, data, 0, 4));
            byte[] back = new byte[4];
            flash.Read(10, back, 0, 4);
            CollectionAssert.AreEqual(data, back);
        }

        [TestMethod]
        public void WriteOverProgrammedBytes_IsRefusedAndChangesNothing()
        {
            StrictRamFlash flash = new StrictRamFlash(4 * Block, Block, 1);
            flash.Write(0, new byte[] { 0x0F }, 0, 1);
            Assert.AreEqual((int)FlashStatus.NotErased, (int)flash.Write(0, new byte[] { 0x01, 0x02 }, 0, 2));
            byte[] back = new byte[2];
            flash.Read(0, back, 0, 2);
            CollectionAssert.AreEqual(new byte[] { 0x0F, 0xFF }, back);
        }

        [TestMethod]
        public void Erase_MustCoverWholeBlocks()
        {
            StrictRamFlash flash = new StrictRamFlash(4 * Block, Block, 1);
            Assert.AreEqual((int)FlashStatus.Misaligned, (int)flash.Erase(100, Block));
            Assert.AreEqual((int)FlashStatus.Misaligned, (int)flash.Erase(0, Block - 1));
            Assert.AreEqual((int)FlashStatus.Ok, (int)flash.Erase(Block, 2 * Block));
            Assert.AreEqual(2, flash.BlocksErased);
        }

        [TestMethod]
        public void WriteAlignment_IsEnforced()
        {
            StrictRamFlash flash = new StrictRamFlash(4 * Block, Block, 16);
            Assert.AreEqual((int)FlashStatus.Misaligned, (int)flash.Write(8, new byte[16], 0, 16));
            Assert.AreEqual((int)FlashStatus.Misaligned, (int)flash.Write(16, new byte[16], 0, 15));
            Assert.AreEqual((int)FlashStatus.Ok, (int)flash.Write(32, new byte[16], 0, 16));
        }

        [TestMethod]
        public void RangesOutsideTheArea_AreRefused()
        {
            StrictRamFlash flash = new StrictRamFlash(4 * Block, Block, 1);
            Assert.AreEqual((int)FlashStatus.OutOfRange, (int)flash.Write((4 * Block) - 1, new byte[2], 0, 2));
            Assert.AreEqual((int)FlashStatus.OutOfRange, (int)flash.Read(-1, new byte[2], 0, 1));
            Assert.AreEqual((int)FlashStatus.OutOfRange, (int)flash.Read(0, new byte[2], 1, 2));
            Assert.AreEqual((int)FlashStatus.OutOfRange, (int)flash.Erase(4 * Block, Block));
        }

        [TestMethod]
        public void PowerCut_TearsTheWriteInFlight_AndStopsEverythingUntilPowerOn()
        {
            StrictRamFlash flash = new StrictRamFlash(4 * Block, Block, 1);
            byte[] data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
            flash.CutPowerAfter(1);
            Assert.AreEqual((int)FlashStatus.Ok, (int)flash.Write(0, data, 0, 8));
            Assert.AreEqual((int)FlashStatus.PowerLost, (int)flash.Write(100, data, 0, 8));
            Assert.IsFalse(flash.IsPowered);
            Assert.AreEqual((int)FlashStatus.PowerLost, (int)flash.Read(0, new byte[1], 0, 1));

            flash.PowerOn();
            byte[] torn = new byte[8];
            flash.Read(100, torn, 0, 8);
            CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0xFF }, torn);
        }

        [TestMethod]
        public void PowerCut_DuringErase_LeavesTheBlockNeitherOldNorErased()
        {
            StrictRamFlash flash = new StrictRamFlash(4 * Block, Block, 1);
            flash.Write(Block + Block - 1, new byte[] { 0x00 }, 0, 1);
            flash.CutPowerAfter(0);
            Assert.AreEqual((int)FlashStatus.PowerLost, (int)flash.Erase(Block, Block));
            flash.PowerOn();
            byte[] tail = new byte[1];
            flash.Read(Block + Block - 1, tail, 0, 1);
            Assert.AreEqual(StrictRamFlash.TornEraseValue, tail[0]);
        }
    }
}
