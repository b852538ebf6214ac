using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Model;
using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Flash;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Issue 14, "erase in blocks": the agent erases what staging an image uses in one call, so that ESP-IDF's
/// esp_flash_erase_region erases 64 KiB blocks where the range allows; the modeled board times an erase
/// call the way that function runs it.
/// </summary>
public sealed class BlockEraseTests
{
    private readonly Esp32Model _model = new();

    [Fact]
    public void TheModel_TimesAnEraseCall_AsEspIdfRunsIt()
    {
        const int s = 4096;
        Assert.Equal(4 * _model.BlockEraseMicroseconds, _model.Erase(0x260000, 256 * 1024, s));
        // From sector 1 (staging's gap is sector 0): 15 sectors up to the block boundary, then blocks, then sectors.
        long expected = 15 * _model.SectorEraseMicroseconds + 3 * _model.BlockEraseMicroseconds + 2 * _model.SectorEraseMicroseconds;
        Assert.Equal(expected, _model.Erase(0x261000, (15 + 48 + 2) * s, s));
        Assert.Equal(15 * _model.SectorEraseMicroseconds, _model.Erase(0x261000, 15 * s, s)); /* shorter than a block: sectors */
        Assert.True(_model.BlockEraseMicroseconds < 16 * _model.SectorEraseMicroseconds, "a block erase must beat its sixteen sectors");
    }

    [Fact]
    public void Staging_ErasesAheadOfTheWrites_InAlignedBlocks_AndTheModeledTimeFallsToBlocks()
    {
        var time = new DeviceTime();
        var area = new CountingArea(new TimedFlash(new StrictRamFlash(BoardFlash.StagingSize, BoardFlash.Sector, BoardFlash.WriteAlignment), "staging", time, _model, new PowerRail(), BoardFlash.StagingAddress));
        var staging = new SecureOta.Agent.Update.Staging.StagingWriter(area);
        Assert.Equal(FlashStatus.Ok, staging.EraseFor(256 * 1024));
        // Now: the gap sector with the image's first block in one call, then the header region.
        Assert.Equal(2, area.Erases);
        Assert.Equal((0, 64 * 1024), area.FirstErase);
        var chunk = new byte[BoardFlash.Sector];
        for (int at = 0; at < 256 * 1024; at += chunk.Length)
            Assert.Equal(FlashStatus.Ok, staging.WriteImage(at, chunk, 0, chunk.Length));
        // Ahead of the writes: three more blocks and the last sector (the image ends a sector past a block).
        Assert.Equal(2 + 3 + 1, area.Erases);
        long header = _model.Erase(BoardFlash.StagingAddress + staging.HeaderOffset, BoardFlash.StagingSize - staging.HeaderOffset, BoardFlash.Sector);
        Assert.Equal(4 * _model.BlockEraseMicroseconds + _model.SectorEraseMicroseconds + header + 64 * _model.FlashProgram(BoardFlash.Sector), time.FlashMicroseconds);
        // Nothing past the image's range is written: a write there is refused before it reaches the flash.
        Assert.Equal(FlashStatus.OutOfRange, staging.WriteImage(256 * 1024, chunk, 0, chunk.Length));
    }

    [Fact]
    public void APowerCutInsideABlockErase_TearsTheWholeBlock_NotOnlyTheSectorItReached()
    {
        const int s = 4096, block = StrictRamFlash.BlockEraseSize;
        var flash = new StrictRamFlash(2 * block, s, 4);
        var data = new byte[s];
        for (int at = 0; at < 2 * block; at += s) Assert.Equal(FlashStatus.Ok, flash.Write(at, data, 0, s));
        flash.CutPowerAfter(block / s + 5); /* the sixth sector of the second block */
        Assert.Equal(FlashStatus.PowerLost, flash.Erase(0, 2 * block));
        flash.PowerOn();
        var cells = new byte[2 * block];
        flash.Read(0, cells, 0, cells.Length);
        Assert.All(cells.AsSpan(0, block).ToArray(), b => Assert.Equal(0xFF, b)); /* the first block was erased */
        for (int sector = block; sector < 2 * block; sector += s) /* every sector of the second: torn */
            Assert.Equal(StrictRamFlash.TornEraseValue, cells[sector + s - 1]);
        // An erase that covers no whole block (sectors) tears only the sector it reached.
        flash.CutPowerAfter(1);
        Assert.Equal(FlashStatus.PowerLost, flash.Erase(block, 4 * s));
        flash.PowerOn();
        flash.Read(block, cells, 0, 4 * s);
        Assert.Equal(0xFF, cells[s - 1]);
        Assert.Equal(StrictRamFlash.TornEraseValue, cells[2 * s - 1]);
    }

    private sealed class CountingArea(IFlashArea inner) : IFlashArea
    {
        public int Erases;
        public (int Offset, int Length) FirstErase = (-1, -1);
        public int Size => inner.Size;
        public int EraseBlockSize => inner.EraseBlockSize;
        public int WriteAlignment => inner.WriteAlignment;
        public byte ErasedValue => inner.ErasedValue;
        public FlashStatus Read(int offset, byte[] buffer, int bufferOffset, int count) => inner.Read(offset, buffer, bufferOffset, count);
        public FlashStatus Write(int offset, byte[] buffer, int bufferOffset, int count) => inner.Write(offset, buffer, bufferOffset, count);
        public FlashStatus Erase(int offset, int length)
        {
            if (Erases++ == 0) FirstErase = (offset, length);
            return inner.Erase(offset, length);
        }
    }
}
