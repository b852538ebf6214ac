using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// Writes the staging partition in the layout the boot stage reads (docs/boot-protocol.md,
    /// "Staging"): sector 0 a gap, the plaintext image from sector 1, and [u32 LE length][envelope
    /// header] in the last H = ceil(4100 / sector) sectors. Programs in whole write-alignment units.
    /// On an A/B board (UseImageArea) the image goes into a slot from its offset 0 instead, and staging
    /// keeps only the header region and the resume journal in its sector 0 (docs/boot-protocol.md, "A/B slots").
    /// </summary>
    public sealed class StagingWriter
    {
        public const int HeaderRegionBytes = 4 + 4096;

        /// <summary>The largest program unit a ragged tail is padded to (ESP32 flash: 4; 16 or 32 with flash encryption).</summary>
        public const int MaxWriteAlignment = 64;

        private readonly IFlashArea _area;
        private readonly byte[] _pad;
        private IFlashArea _image;
        private int _imageBase;

        public StagingWriter(IFlashArea area)
        {
            _area = area;
            _pad = new byte[MaxWriteAlignment];
            UseImageArea(null);
        }

        /// <summary>Where the image goes: an A/B board's slot (from offset 0), or null for staging from sector 1.</summary>
        public void UseImageArea(IFlashArea slot)
        {
            _image = slot == null ? _area : slot;
            _imageBase = slot == null ? _area.EraseBlockSize : 0;
        }

        /// <summary>Whether the image goes into a slot.</summary>
        public bool InSlot
        {
            get { return _image != _area; }
        }

        public int SectorSize
        {
            get { return _area.EraseBlockSize; }
        }

        /// <summary>Offset of the header region.</summary>
        public int HeaderOffset
        {
            get
            {
                int s = _area.EraseBlockSize;
                int headerSectors = (HeaderRegionBytes + s - 1) / s;
                return ((_area.Size / s) - headerSectors) * s;
            }
        }

        /// <summary>The resume journal's bytes at the end of the header region's first sector on an A/B board.</summary>
        public const int JournalBytes = 1024;

        /// <summary>
        /// Where the resume journal (ResumeJournal) of a staging whose envelope header has headerLength bytes
        /// lives. On an A/B board: the last JournalBytes of the header region's first sector when [length]
        /// [header] leaves them free, so EraseHeader erases both in one sector erase (45 ms less per update
        /// than a journal sector of its own; the boot stage and ReadHeader read only [length][header]).
        /// Otherwise staging sector 0: on a swap board the gap sector, erased with the image's first block.
        /// </summary>
        public int JournalOffset(int headerLength)
        {
            int s = _area.EraseBlockSize;
            return InSlot && headerLength > 0 && 4 + headerLength <= s - JournalBytes ? HeaderOffset + s - JournalBytes : 0;
        }

        /// <summary>The journal's bytes at JournalOffset(headerLength).</summary>
        public int JournalLength(int headerLength)
        {
            return JournalOffset(headerLength) == 0 ? _area.EraseBlockSize : JournalBytes;
        }

        /// <summary>The largest image the staging holds (gap sector, image, header region), or the slot.</summary>
        public int Capacity
        {
            get { return InSlot ? _image.Size : HeaderOffset - _area.EraseBlockSize; }
        }

        /// <summary>
        /// The erase block the agent erases ahead in (ESP-IDF's esp_flash_erase_region erases a 64 KiB block
        /// wherever at least a block is left at a block-aligned address, components/spi_flash/esp_flash_api.c;
        /// 150 ms a block instead of 16 x 45 ms in sectors, W25Q32JV datasheet). Staging and the slots start
        /// block-aligned (Bootloader/partitions/*.csv), so area offsets are aligned where addresses are.
        /// </summary>
        public const int EraseAheadBlock = 64 * 1024;

        // The image's range in the image area (its end), where erasing it ends (EraseEnd), and how far of
        // it is erased for this staging.
        private int _rangeEnd;
        private int _eraseEnd;
        private int _erasedTo;

        /// <summary>
        /// Gets staging ready for an image of imageSize bytes: the resume journal's sector 0 and the header
        /// region erased now; the image's own range (sectors 1 .. n of staging, or the slot from 0) is
        /// erased ahead of the writes, a block at a time (WriteImage), so that the erases overlap the
        /// download instead of preceding it. The boot stage reads and swaps only these (docs/boot-protocol.md,
        /// "Staging"); erasing the rest of the partition would cost time and wear for nothing. On a swap
        /// board sector 0 is erased with the image's first block in one call (a block erase, not a sector
        /// and fifteen). On an A/B board sector 0 is erased only when eraseJournalSector (the journal lives
        /// there: JournalOffset). imageSize is at most Capacity.
        /// </summary>
        public FlashStatus EraseFor(long imageSize)
        {
            return EraseFor(imageSize, true);
        }

        /// <summary>EraseFor, sector 0 on an A/B board erased only if eraseJournalSector.</summary>
        public FlashStatus EraseFor(long imageSize, bool eraseJournalSector)
        {
            int s = _area.EraseBlockSize;
            if (imageSize < 0 || imageSize > Capacity)
            {
                return FlashStatus.OutOfRange;
            }

            int sector = _image.EraseBlockSize;
            _rangeEnd = _imageBase + (int)((imageSize + sector - 1) / sector) * sector;
            _eraseEnd = EraseEnd(_rangeEnd);
            _erasedTo = 0;
            FlashStatus r = FlashStatus.Ok;
            if (InSlot)
            {
                if (eraseJournalSector)
                {
                    r = _area.Erase(0, s); /* the journal's sector; the slot is erased ahead */
                }
            }
            else
            {
                r = EraseAhead(s); /* sector 0 and the image's first block together */
            }

            return r;
        }

        /// <summary>
        /// Erases the sectors of the header region that [length][header] of headerLength bytes takes (one
        /// for any header up to sector - 4 bytes, not the region's two: 45 ms less per update). The boot
        /// stage and ReadHeader read only the length and that many bytes, so an older header's tail in a
        /// sector not erased is never read. Done before the image is written, so that an older header (a
        /// held update's) cannot stand next to a half-written image.
        /// </summary>
        public FlashStatus EraseHeader(int headerLength)
        {
            int s = _area.EraseBlockSize;
            if (headerLength <= 0 || headerLength > HeaderRegionBytes - 4)
            {
                return FlashStatus.OutOfRange;
            }

            int bytes = ((4 + headerLength + s - 1) / s) * s;
            _headerErased = 0; /* until the erase is done, nothing may be programmed there */
            _headLength = 0;
            FlashStatus r = _area.Erase(HeaderOffset, bytes);
            if (r == FlashStatus.Ok)
            {
                _headerErased = bytes;
            }

            return r;
        }

        // Bytes of the header region EraseHeader erased for this staging.
        private int _headerErased;

        /// <summary>
        /// For a resumed staging of an image of imageSize bytes whose first chunks (chunk = one sector) are
        /// staged: the header region is erased now; the image from the next chunk on counts as not erased,
        /// so the first write erases from there to the end of its block (an interrupted attempt may have
        /// left it half-written or half-erased) and later blocks are erased ahead as before.
        /// </summary>
        public FlashStatus EraseFromChunk(int chunks, long imageSize)
        {
            int s = _image.EraseBlockSize;
            if (imageSize < 0 || imageSize > Capacity || chunks < 0 || (long)chunks * s > imageSize)
            {
                return FlashStatus.OutOfRange;
            }

            _rangeEnd = _imageBase + (int)((imageSize + s - 1) / s) * s;
            _eraseEnd = EraseEnd(_rangeEnd);
            _erasedTo = _imageBase + (chunks * s);
            return FlashStatus.Ok;
        }

        /// <summary>
        /// A tail of this many sectors or more in the range's last 64 KiB block is erased as the whole block
        /// when the slot holds it: one block erase (W25Q32JV: 150 ms typical) costs less than four sector
        /// erases (4 x 45 ms). ESP-IDF's chip drivers erase 4 KiB sectors and 64 KiB blocks only (every
        /// esp_flash chip driver sets block_erase_size = 64 * 1024, components/spi_flash/spi_flash_chip_*.c;
        /// none issues the 32 KiB block erase 0x52 some parts have), so there is no 32 KiB step to use.
        /// </summary>
        public const int TailSectorsForBlock = 4;

        // Where erasing the range ends: its end, or in a slot the end of its last block when the tail in
        // that block is TailSectorsForBlock sectors or more and the slot holds the whole block (bytes of the
        // slot past the image are not read by anyone: the boot stage hashes the image's size). Staging's
        // range is not extended: its sectors past the image are the swap's (docs/boot-protocol.md).
        private int EraseEnd(int end)
        {
            int tail = end % EraseAheadBlock;
            int blockEnd = end - tail + EraseAheadBlock;
            bool wide = InSlot && tail != 0 && tail >= TailSectorsForBlock * _image.EraseBlockSize && blockEnd <= _image.Size;
            return wide ? blockEnd : end;
        }

        // Erases the image area up to at least `end` (an area offset), a block at a time: from where the
        // erased part ends to the next block boundary (or the range's end), one call each.
        private FlashStatus EraseAhead(int end)
        {
            if (end > _eraseEnd)
            {
                end = _eraseEnd;
            }

            while (_erasedTo < end)
            {
                int next = ((_erasedTo / EraseAheadBlock) + 1) * EraseAheadBlock;
                if (next > _eraseEnd)
                {
                    next = _eraseEnd;
                }

                FlashStatus r = _image.Erase(_erasedTo, next - _erasedTo);
                if (r != FlashStatus.Ok)
                {
                    return r;
                }

                _erasedTo = next;
            }

            return FlashStatus.Ok;
        }

        /// <summary>Reads image bytes back (resume: the staged part is hashed from flash).</summary>
        public FlashStatus ReadImage(int imageOffset, byte[] buffer, int offset, int count)
        {
            return _image.Read(_imageBase + imageOffset, buffer, offset, count);
        }

        /// <summary>
        /// Programs image bytes at imageOffset (a multiple of the alignment, except for the last call; writes
        /// go front to back), erasing ahead what they need first (EraseFor, EraseFromChunk).
        /// </summary>
        public FlashStatus WriteImage(int imageOffset, byte[] data, int offset, int count)
        {
            int at = _imageBase + imageOffset;
            if (at < _imageBase || at + count > _rangeEnd)
            {
                return FlashStatus.OutOfRange; /* outside what this staging erased or will erase */
            }

            FlashStatus r = EraseAhead(at + count);
            return r != FlashStatus.Ok ? r : Program(_image, at, data, offset, count);
        }

        /// <summary>Programs [length][header] into the header region (erased by EraseHeader for at least that length).</summary>
        public FlashStatus WriteHeader(byte[] header, int length)
        {
            FlashStatus r = WriteHeaderBody(header, length);
            return r == FlashStatus.Ok ? WriteHeaderStart() : r;
        }

        /// <summary>
        /// Programs all of the header but its first program unit (the unit that holds the length and the
        /// header's first bytes, kept here until WriteHeaderStart). Until then the region holds no header:
        /// the boot stage and ReadHeader see the length erased. So the engine can program the header before
        /// the image and reuse its buffer as a download buffer (issue 14: one 4 KiB buffer less).
        /// </summary>
        public FlashStatus WriteHeaderBody(byte[] header, int length)
        {
            if (length <= 0 || 4 + length > _headerErased || length > header.Length)
            {
                return FlashStatus.OutOfRange; /* more than EraseHeader erased for this staging */
            }

            int align = _area.WriteAlignment;
            if (align <= 0 || align > MaxWriteAlignment)
            {
                return FlashStatus.OutOfRange;
            }

            _headLength = 0;
            // The first unit carries the length and the header's first bytes; the rest of the header
            // follows from the unit's end, which is aligned, straight from the caller's buffer (no 4 KiB copy).
            int unit = align >= 4 ? align : 4;
            int first = unit - 4 < length ? unit - 4 : length;
            _headStart[0] = (byte)length;
            _headStart[1] = (byte)(length >> 8);
            _headStart[2] = (byte)(length >> 16);
            _headStart[3] = (byte)(length >> 24);
            for (int i = 4; i < unit; i++)
            {
                _headStart[i] = i - 4 < first ? header[i - 4] : _area.ErasedValue;
            }

            FlashStatus r = first == length ? FlashStatus.Ok : Program(_area, HeaderOffset + unit, header, first, length - first);
            _headerErased = 0; /* programmed now: a second body needs a new EraseHeader */
            if (r == FlashStatus.Ok)
            {
                _headLength = unit;
            }

            return r;
        }

        /// <summary>
        /// Programs the header's first unit (its length and first bytes) after WriteHeaderBody: the commit
        /// of the header, the last write of the region, so a power cut before it leaves no header.
        /// </summary>
        public FlashStatus WriteHeaderStart()
        {
            int unit = _headLength;
            _headLength = 0;
            if (unit <= 0)
            {
                return FlashStatus.OutOfRange; /* no body programmed since the last EraseHeader */
            }

            return _area.Write(HeaderOffset, _headStart, 0, unit);
        }

        // The header's first program unit, held between WriteHeaderBody and WriteHeaderStart, and its
        // length (0: nothing held).
        private readonly byte[] _headStart = new byte[MaxWriteAlignment];
        private int _headLength;

        /// <summary>
        /// Reads back the [length][header] record WriteHeader programmed: the header's length (at most
        /// buffer.Length), or -1 when the region holds no such record (erased, torn, or a length out of bounds).
        /// </summary>
        public int ReadHeader(byte[] buffer)
        {
            byte[] length = new byte[4];
            if (_area.Read(HeaderOffset, length, 0, 4) != FlashStatus.Ok)
            {
                return -1;
            }

            long n = (long)length[0] | ((long)length[1] << 8) | ((long)length[2] << 16) | ((long)length[3] << 24);
            if (n <= 0 || n > buffer.Length || n > HeaderRegionBytes - 4)
            {
                return -1;
            }

            return _area.Read(HeaderOffset + 4, buffer, 0, (int)n) == FlashStatus.Ok ? (int)n : -1;
        }

        // Whole alignment units go straight through; a ragged tail is padded with the erased value.
        private FlashStatus Program(IFlashArea area, int at, byte[] data, int offset, int count)
        {
            int align = area.WriteAlignment;
            if (align <= 0 || align > MaxWriteAlignment)
            {
                return FlashStatus.OutOfRange;
            }

            int whole = count - (count % align);
            if (whole > 0)
            {
                FlashStatus r = area.Write(at, data, offset, whole);
                if (r != FlashStatus.Ok)
                {
                    return r;
                }
            }

            int rest = count - whole;
            if (rest == 0)
            {
                return FlashStatus.Ok;
            }

            for (int i = 0; i < align; i++)
            {
                _pad[i] = i < rest ? data[offset + whole + i] : area.ErasedValue;
            }

            return area.Write(at + whole, _pad, 0, align);
        }
    }
}
