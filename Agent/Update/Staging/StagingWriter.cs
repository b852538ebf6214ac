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

        /// <summary>The largest image the staging holds (gap sector, image, header region), or the slot.</summary>
        public int Capacity
        {
            get { return InSlot ? _image.Size : HeaderOffset - _area.EraseBlockSize; }
        }

        /// <summary>
        /// Erases what staging an image of imageSize bytes uses: sector 0 (the gap, the resume journal
        /// while staging) and the image's sectors in one call, then the header region. The boot stage
        /// reads and swaps only these (docs/boot-protocol.md, "Staging"); erasing the rest of the
        /// partition would cost time and wear for nothing. One call for the whole range lets ESP-IDF
        /// erase 64 KiB blocks where the range allows (components/spi_flash/esp_flash_api.c,
        /// esp_flash_erase_region: a block erase wherever at least a block is left at a block-aligned
        /// address; staging starts block-aligned), 150 ms a block instead of 16 x 45 ms in sectors
        /// (W25Q32JV datasheet). imageSize is at most Capacity.
        /// </summary>
        public FlashStatus EraseFor(long imageSize)
        {
            int s = _area.EraseBlockSize;
            if (imageSize < 0 || imageSize > Capacity)
            {
                return FlashStatus.OutOfRange;
            }

            FlashStatus r;
            if (InSlot)
            {
                // The journal's sector, then the image's range of the slot in one call (blocks where they fit).
                int slotSector = _image.EraseBlockSize;
                r = _area.Erase(0, s);
                if (r == FlashStatus.Ok)
                {
                    r = _image.Erase(0, (int)((imageSize + slotSector - 1) / slotSector) * slotSector);
                }
            }
            else
            {
                int end = s + (int)((imageSize + s - 1) / s) * s;
                r = _area.Erase(0, end);
            }

            if (r != FlashStatus.Ok)
            {
                return r;
            }

            return _area.Erase(HeaderOffset, _area.Size - HeaderOffset);
        }

        /// <summary>
        /// For a resumed staging: erases the sectors an interrupted attempt may have left half-written
        /// after the first chunks (chunk = one sector): the next image sector and the header region.
        /// Later image sectors were never written since the erase that began this staging (writes are sequential).
        /// </summary>
        public FlashStatus EraseFromChunk(int chunks)
        {
            int s = _image.EraseBlockSize;
            int next = _imageBase + (chunks * s);
            if (next < (InSlot ? _image.Size : HeaderOffset))
            {
                FlashStatus r = _image.Erase(next, s);
                if (r != FlashStatus.Ok)
                {
                    return r;
                }
            }

            return _area.Erase(HeaderOffset, _area.Size - HeaderOffset);
        }

        /// <summary>Reads image bytes back (resume: the staged part is hashed from flash).</summary>
        public FlashStatus ReadImage(int imageOffset, byte[] buffer, int offset, int count)
        {
            return _image.Read(_imageBase + imageOffset, buffer, offset, count);
        }

        /// <summary>Programs image bytes at imageOffset (a multiple of the alignment, except for the last call).</summary>
        public FlashStatus WriteImage(int imageOffset, byte[] data, int offset, int count)
        {
            return Program(_image, _imageBase + imageOffset, data, offset, count);
        }

        /// <summary>Programs [length][header] into the header region.</summary>
        public FlashStatus WriteHeader(byte[] header, int length)
        {
            byte[] record = new byte[4 + length];
            record[0] = (byte)length;
            record[1] = (byte)(length >> 8);
            record[2] = (byte)(length >> 16);
            record[3] = (byte)(length >> 24);
            System.Array.Copy(header, 0, record, 4, length);
            return Program(_area, HeaderOffset, record, 0, record.Length);
        }

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
