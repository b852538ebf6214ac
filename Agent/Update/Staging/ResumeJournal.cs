using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// Where an interrupted staging can resume after a power loss: kept where StagingWriter.JournalOffset
    /// puts it (Place): on a swap board in staging sector 0, which is free while the agent stages (the boot
    /// stage only uses it as the swap gap, docs/boot-protocol.md); on an A/B board at the end of the header
    /// region's first sector, erased with the header (one sector erase less per update).
    /// Layout: a 256-byte header [magic "SOJ1" u32 LE][SHA-256 of the envelope header][ETag length u16
    /// LE][ETag, at most 200 bytes][CRC-32 of bytes 0..251 at 252], then append-only slots of
    /// max(4, write alignment) bytes, each [chunks u16 LE][~chunks u16 LE]: "this many 4 KiB chunks of
    /// plaintext are written". A torn slot fails its complement and is skipped. The journal only saves
    /// download time: whatever it claims, the resumed bytes are read back and hashed, and nothing is
    /// activated unless the whole image matches the signed digest. A slot is written once per 64 KiB of
    /// image at the most (ChunksPerRecord): each slot is a page program (about 0.7 ms, as long as a whole
    /// page's, by the flash model), so a slot per 4 KiB chunk cost 0.18 s on a 1 MiB image, while a power
    /// cut now costs at most 60 KiB more to download again, the erase ahead's block size.
    /// </summary>
    public sealed class ResumeJournal
    {
        public const uint Magic = 0x314A4F53;
        public const int HeaderBytes = 256;
        public const int MaxETag = 200;
        private const int OffDigest = 4, OffETagLength = 36, OffETag = 38, OffCrc = 252;

        private readonly IFlashArea _area;
        private readonly int _slotSize;
        private int _slots;
        private int _base;
        private readonly byte[] _slot;
        private int _nextSlot;
        private int _interval = ChunksPerRecord;

        /// <summary>The fewest 4 KiB chunks per slot: 64 KiB, StagingWriter.EraseAheadBlock.</summary>
        public const int ChunksPerRecord = StagingWriter.EraseAheadBlock / 4096;

        public ResumeJournal(IFlashArea area)
        {
            _area = area;
            _slotSize = area.WriteAlignment < 4 ? 4 : area.WriteAlignment;
            _slot = new byte[_slotSize];
            Place(0, area.EraseBlockSize);
        }

        /// <summary>Where the journal lives: length bytes from offset, inside one erase sector (StagingWriter.JournalOffset).</summary>
        public void Place(int offset, int length)
        {
            _base = offset;
            _slots = (length - HeaderBytes) / _slotSize;
        }

        /// <summary>Starts a journal where Place put it (freshly erased); writes nothing (no journal) if the ETag is unusable.</summary>
        public FlashStatus Begin(byte[] headerDigest, string etag, int totalChunks)
        {
            byte[] h = Header(headerDigest, etag);
            if (h == null)
            {
                return FlashStatus.Ok; /* no resume for this download, which is allowed */
            }

            _nextSlot = 0;
            Resume(totalChunks);
            return _area.Write(_base, h, 0, h.Length);
        }

        /// <summary>Records that chunks whole chunks are written (every interval-th call writes a slot).</summary>
        public FlashStatus Record(int chunks)
        {
            return chunks % _interval != 0 ? FlashStatus.Ok : Mark(chunks);
        }

        /// <summary>Records that chunks whole chunks are written, whatever the interval (a journal begun again for a resumed staging).</summary>
        public FlashStatus Mark(int chunks)
        {
            if (_nextSlot >= _slots || chunks > 0xFFFF || chunks < 0)
            {
                return FlashStatus.Ok;
            }

            for (int i = 0; i < _slot.Length; i++)
            {
                _slot[i] = _area.ErasedValue;
            }

            _slot[0] = (byte)chunks;
            _slot[1] = (byte)(chunks >> 8);
            _slot[2] = (byte)~chunks;
            _slot[3] = (byte)(~chunks >> 8);
            FlashStatus r = _area.Write(_base + HeaderBytes + (_nextSlot * _slotSize), _slot, 0, _slot.Length);
            _nextSlot++;
            return r;
        }

        /// <summary>
        /// The chunks a previous attempt recorded for this very data set and artifact (same envelope
        /// header digest and ETag), or 0 when there is nothing to resume. Prepares Record to append.
        /// </summary>
        public int Find(byte[] headerDigest, string etag)
        {
            byte[] expected = Header(headerDigest, etag);
            byte[] stored = new byte[HeaderBytes];
            if (expected == null || _area.Read(_base, stored, 0, HeaderBytes) != FlashStatus.Ok)
            {
                return 0;
            }

            for (int i = 0; i < HeaderBytes; i++)
            {
                if (stored[i] != expected[i])
                {
                    return 0;
                }
            }

            int best = 0;
            _nextSlot = _slots;
            for (int s = 0; s < _slots; s++)
            {
                if (_area.Read(_base + HeaderBytes + (s * _slotSize), _slot, 0, _slotSize) != FlashStatus.Ok)
                {
                    return 0;
                }

                if (ErasedCells.All(_slot, 0, _slot.Length, _area.ErasedValue))
                {
                    _nextSlot = s;
                    break;
                }

                int n = _slot[0] | (_slot[1] << 8);
                int check = _slot[2] | (_slot[3] << 8);
                if ((n ^ check) == 0xFFFF && n > best)
                {
                    best = n;
                }
            }

            return best;
        }

        /// <summary>Forgets the journal (erases its sector; on an A/B board the header's, whose staging is not used then): the next staging starts from zero.</summary>
        public FlashStatus Discard()
        {
            int sector = _area.EraseBlockSize;
            return _area.Erase(_base - (_base % sector), sector);
        }

        /// <summary>Sets how often Record writes a slot: every ChunksPerRecord chunks, or a multiple of it so that totalChunks fit the slots (also for a resumed staging).</summary>
        public void Resume(int totalChunks)
        {
            // A multiple of ChunksPerRecord that fits totalChunks into the slots.
            int perSlot = (totalChunks + _slots - 1) / _slots;
            _interval = ((perSlot + ChunksPerRecord - 1) / ChunksPerRecord) * ChunksPerRecord;
            if (_interval < ChunksPerRecord)
            {
                _interval = ChunksPerRecord;
            }
        }

        private static byte[] Header(byte[] headerDigest, string etag)
        {
            if (etag == null || etag.Length == 0 || etag.Length > MaxETag || headerDigest == null || headerDigest.Length != 32)
            {
                return null;
            }

            byte[] h = new byte[HeaderBytes];
            h[0] = (byte)(Magic & 0xFF);
            h[1] = (byte)((Magic >> 8) & 0xFF);
            h[2] = (byte)((Magic >> 16) & 0xFF);
            h[3] = (byte)((Magic >> 24) & 0xFF);
            System.Array.Copy(headerDigest, 0, h, OffDigest, 32);
            h[OffETagLength] = (byte)etag.Length;
            h[OffETagLength + 1] = (byte)(etag.Length >> 8);
            for (int i = 0; i < etag.Length; i++)
            {
                char c = etag[i];
                if (c > 0x7E || c < 0x20)
                {
                    return null; /* RFC 9110 entity-tags are ASCII */
                }

                h[OffETag + i] = (byte)c;
            }

            uint crc = Crc32.Compute(h, 0, OffCrc);
            h[OffCrc] = (byte)crc;
            h[OffCrc + 1] = (byte)(crc >> 8);
            h[OffCrc + 2] = (byte)(crc >> 16);
            h[OffCrc + 3] = (byte)(crc >> 24);
            return h;
        }
    }
}
