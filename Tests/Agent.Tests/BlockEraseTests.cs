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
        Assert.Equal(FlashStatus.Ok, staging.EraseHeader(600));
        Assert.Equal(FlashStatus.Ok, staging.EraseFor(256 * 1024));
        // Now: the header's one sector (not the region's two), then the gap sector with the image's first block in one call.
        Assert.Equal(2, area.Erases);
        Assert.Equal((staging.HeaderOffset, BoardFlash.Sector), area.FirstErase);
        var chunk = new byte[BoardFlash.Sector];
        for (int at = 0; at < 256 * 1024; at += chunk.Length)
            Assert.Equal(FlashStatus.Ok, staging.WriteImage(at, chunk, 0, chunk.Length));
        // Ahead of the writes: three more blocks and the last sector (the image ends a sector past a block).
        Assert.Equal(2 + 3 + 1, area.Erases);
        long header = _model.SectorEraseMicroseconds;
        long calls = (2 + 3 + 1 + 64) * _model.NativeCallMicroseconds; /* each erase and write is one native call of the agent */
        Assert.Equal(4 * _model.BlockEraseMicroseconds + _model.SectorEraseMicroseconds + header + 64 * _model.FlashProgram(BoardFlash.Sector) + calls, time.FlashMicroseconds);
        // Nothing past the image's range is written: a write there is refused before it reaches the flash.
        Assert.Equal(FlashStatus.OutOfRange, staging.WriteImage(256 * 1024, chunk, 0, chunk.Length));
    }

    [Fact]
    public void InASlot_ALongTailIsErasedAsItsWholeBlock_AShortOneInSectors_AndNeverPastTheSlot()
    {
        const int s = 4096, block = 64 * 1024;
        foreach (var (image, slotSize, expected) in new[]
        {
            (block + 4 * s, 4 * block, new[] { block, block }),          /* 4 sectors of tail: the block */
            (block + 3 * s, 4 * block, new[] { block, 3 * s }),          /* 3 sectors: cheaper as sectors */
            (block + 4 * s, block + 8 * s, new[] { block, 4 * s }),      /* the slot ends inside that block */
        })
        {
            var slot = new CountingArea(new StrictRamFlash(slotSize, s, 4));
            var staging = new SecureOta.Agent.Update.Staging.StagingWriter(new StrictRamFlash(0xC000, s, 4));
            staging.UseImageArea(slot);
            Assert.Equal(FlashStatus.Ok, staging.EraseFor(image));
            var chunk = new byte[s];
            for (int at = 0; at < image; at += s) Assert.Equal(FlashStatus.Ok, staging.WriteImage(at, chunk, 0, s));
            Assert.Equal(expected, slot.Lengths.ToArray());
            // The image's range stays the image's: nothing is written past it.
            Assert.Equal(FlashStatus.OutOfRange, staging.WriteImage(image, chunk, 0, s));
        }
    }

    [Fact]
    public void TheHeaderRegion_IsErasedForTheHeaderItHolds_AndALongerHeaderIsRefused()
    {
        const int s = 4096;
        var flash = new CountingArea(new StrictRamFlash(0xC000, s, 4));
        var staging = new SecureOta.Agent.Update.Staging.StagingWriter(flash);
        Assert.Equal(FlashStatus.Ok, staging.EraseHeader(s - 4));               /* [length][header] fills one sector */
        Assert.Equal(new[] { s }, flash.Lengths.ToArray());
        Assert.Equal(FlashStatus.OutOfRange, staging.WriteHeader(new byte[s], s - 3)); /* one byte more than was erased */
        Assert.Equal(FlashStatus.Ok, staging.WriteHeader(new byte[s], s - 4));
        Assert.Equal(FlashStatus.Ok, staging.EraseHeader(s - 3));               /* one byte more: both sectors */
        Assert.Equal(2 * s, flash.Lengths[^1]);
        Assert.Equal(FlashStatus.OutOfRange, staging.EraseHeader(StagingWriterHeaderMax + 1));
        Assert.Equal(FlashStatus.OutOfRange, staging.EraseHeader(0));

        // An erase that did not complete leaves nothing writable there.
        var cut = new StrictRamFlash(0xC000, s, 4);
        var torn = new SecureOta.Agent.Update.Staging.StagingWriter(cut);
        cut.CutPowerAfter(0);
        Assert.Equal(FlashStatus.PowerLost, torn.EraseHeader(100));
        cut.PowerOn();
        Assert.Equal(FlashStatus.OutOfRange, torn.WriteHeader(new byte[100], 100));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(32)]
    public void TheHeader_IsWrittenWithoutACopy_AndReadsBackAtEveryWriteAlignment(int align)
    {
        const int s = 4096;
        foreach (var length in new[] { 1, 3, align - 4, align - 3, 600, StagingWriterHeaderMax })
        {
            if (length <= 0) continue;
            var header = AgentRig.Image(length, length);
            var flash = new StrictRamFlash(0xC000, s, align); /* programs only whole, aligned, erased units */
            var staging = new SecureOta.Agent.Update.Staging.StagingWriter(flash);
            Assert.Equal(FlashStatus.Ok, staging.EraseHeader(length));
            Assert.Equal(FlashStatus.Ok, staging.WriteHeader(header, length));
            var back = new byte[StagingWriterHeaderMax];
            Assert.Equal(length, staging.ReadHeader(back));
            Assert.Equal(header, back.AsSpan(0, length).ToArray());

            // The same on flash whose cells exist up front (StrictRamFlash allocates a block's cells when it
            // is first programmed): what WriteHeader itself allocates.
            var dense = new SecureOta.Agent.Update.Staging.StagingWriter(new PreallocatedFlash(0xC000, s, align));
            Assert.Equal(FlashStatus.Ok, dense.EraseHeader(length));
            Assert.Equal(FlashStatus.Ok, dense.WriteHeader(header, length)); /* once before measuring: the JIT's first call allocates */
            Assert.Equal(FlashStatus.Ok, dense.EraseHeader(length));
            long before = GC.GetAllocatedBytesForCurrentThread();
            var written = dense.WriteHeader(header, length);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(FlashStatus.Ok, written);
            Assert.True(allocated < 64, $"WriteHeader allocated {allocated} bytes for a {length}-byte header");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(32)]
    public void TheHeaderBody_IsNoHeaderUntilItsFirstUnit_AndIsWrittenOncePerErase(int align)
    {
        const int s = 4096;
        foreach (var length in new[] { 3, 600, StagingWriterHeaderMax })
        {
            var header = AgentRig.Image(length, length + 1);
            var flash = new StrictRamFlash(0xC000, s, align);
            var staging = new SecureOta.Agent.Update.Staging.StagingWriter(flash);
            Assert.Equal(FlashStatus.OutOfRange, staging.WriteHeaderStart()); /* no body yet */
            Assert.Equal(FlashStatus.Ok, staging.EraseHeader(length));
            Assert.Equal(FlashStatus.Ok, staging.WriteHeaderBody(header, length));
            var back = new byte[StagingWriterHeaderMax];
            Assert.Equal(-1, staging.ReadHeader(back)); /* the length is still erased: no header */
            Assert.Equal(FlashStatus.OutOfRange, staging.WriteHeaderBody(header, length)); /* programmed cells: erase first */

            // The buffer is free once the body is programmed (the engine downloads into it).
            var kept = (byte[])header.Clone();
            Array.Clear(header);
            Assert.Equal(FlashStatus.Ok, staging.WriteHeaderStart());
            Assert.Equal(FlashStatus.OutOfRange, staging.WriteHeaderStart()); /* committed once */
            Assert.Equal(length, staging.ReadHeader(back));
            Assert.Equal(kept, back.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void APowerCutBeforeTheHeadersFirstUnit_LeavesNoHeaderForTheBootStage()
    {
        using var rig = new AgentRig();
        var image = AgentRig.Image(10_000, 5);
        var dataSet = rig.DataSet(image, 7);
        int commit = AgentRig.OperationsBeforeChunk(dataSet, image.Length, 3); /* 3 chunks: the header's first unit */
        using (var probe = new AgentRig())
        {
            int ops0 = probe.Staging.WriteCount + probe.Staging.BlocksErased;
            Assert.True(probe.Engine().Stage(new MemorySource(probe.DataSet(image, 7), validator: "\"v1\"")).IsOk);
            Assert.Equal(commit + 1, probe.Staging.WriteCount + probe.Staging.BlocksErased - ops0); /* the commit is the last operation */
        }
        rig.Staging.CutPowerAfter(commit);
        Assert.False(rig.Engine().Stage(new MemorySource(dataSet, validator: "\"v1\"")).IsOk);
        rig.Staging.PowerOn();
        Assert.Equal(-1, new SecureOta.Agent.Update.Staging.StagingWriter(rig.Staging).ReadHeader(new byte[StagingWriterHeaderMax]));
        var dir = Directory.CreateTempSubdirectory("agent-header-").FullName;
        try
        {
            var boot = new BootSim(rig, dir);
            boot.Configure(6);
            Assert.Equal("boot: nothing pending", boot.Boot());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private const int StagingWriterHeaderMax = SecureOta.Agent.Update.Staging.StagingWriter.HeaderRegionBytes - 4;

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
        public readonly List<int> Lengths = [];
        public int Size => inner.Size;
        public int EraseBlockSize => inner.EraseBlockSize;
        public int WriteAlignment => inner.WriteAlignment;
        public byte ErasedValue => inner.ErasedValue;
        public FlashStatus Read(int offset, byte[] buffer, int bufferOffset, int count) => inner.Read(offset, buffer, bufferOffset, count);
        public FlashStatus Write(int offset, byte[] buffer, int bufferOffset, int count) => inner.Write(offset, buffer, bufferOffset, count);
        public FlashStatus Erase(int offset, int length)
        {
            if (Erases++ == 0) FirstErase = (offset, length);
            Lengths.Add(length);
            return inner.Erase(offset, length);
        }
    }
}
