using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// The agent's side of the boot-state area (docs/boot-protocol.md): two banks, each with its records
    /// appended in its first sector (the last valid one before the first erased slot is the bank's) and
    /// the swap's progress log after it; of the two banks' records the one with the higher sequence number
    /// is current. The agent never replaces the boot stage's newest record: its record goes into the other
    /// bank when the current one is the boot stage's, else into the bank of its own earlier one, so a power
    /// cut loses at most the agent's record (an A/B board needs the boot stage's last word to know which
    /// slots are confirmed; Bootloader/src/bs_state.c, bs_state_write_keeping_boot, does the same). A
    /// record is appended after the bank's last one without an erase; only a full first sector is erased,
    /// the bank's log sectors only where they do not read erased (EraseBank).
    /// </summary>
    public sealed class BootStateArea
    {
        private readonly IFlashArea _area;
        private readonly int _bankSize;

        public BootStateArea(IFlashArea area)
        {
            _area = area;
            _bankSize = (area.Size / 2) / area.EraseBlockSize * area.EraseBlockSize;
            _slots = area.EraseBlockSize / BootStateRecord.Size;
        }

        private readonly int _slots;

        // Record slots read per flash call: every call costs the interop's overhead (about 200 µs by the
        // model, Esp32Model.NativeCallMicroseconds), a slot's 128 bytes only 13 µs at 10 MB/s.
        private const int SlotsPerRead = 4;

        // Reads the slots of bank from first on (as many as fit the buffer and the sector); their count, or -1.
        private int ReadSlots(int bank, int first, byte[] buffer)
        {
            int n = _slots - first < SlotsPerRead ? _slots - first : SlotsPerRead;
            return _area.Read(bank * _bankSize + first * BootStateRecord.Size, buffer, 0, n * BootStateRecord.Size) == FlashStatus.Ok ? n : -1;
        }

        private bool BlankAt(byte[] buffer, int slotInBuffer)
        {
            return ErasedCells.All(buffer, slotInBuffer * BootStateRecord.Size, BootStateRecord.Size, _area.ErasedValue);
        }

        // The slot of bank a record can be appended at without an erase: the one after the last slot that
        // does not read erased (a torn record's slot is used up); -1 when the first sector is full or unreadable
        // (then the bank is erased; bs_state.c, free_slot).
        private int FreeSlot(int bank)
        {
            byte[] raw = new byte[SlotsPerRead * BootStateRecord.Size];
            int next = 0;
            for (int slot = 0; slot < _slots; slot += SlotsPerRead)
            {
                int n = ReadSlots(bank, slot, raw);
                if (n < 0)
                {
                    return -1;
                }

                for (int k = 0; k < n; k++)
                {
                    if (!BlankAt(raw, k))
                    {
                        next = slot + k + 1;
                    }
                }
            }

            return next < _slots ? next : -1;
        }

        /// <summary>The current record, or null on a fresh device.</summary>
        public BootStateRecord Current(out int bank)
        {
            BootStateRecord other;
            return Banks(out bank, out other);
        }

        /// <summary>The current record (its bank) and the other bank's record (null if none is valid).</summary>
        private BootStateRecord Banks(out int bank, out BootStateRecord other)
        {
            BootStateRecord[] r = new BootStateRecord[2];
            byte[] raw = new byte[SlotsPerRead * BootStateRecord.Size];
            byte[] one = new byte[BootStateRecord.Size];
            for (int b = 0; b < 2; b++)
            {
                // The bank's record: the valid one in the last slot before the first erased one (bs_state.c, load_bank).
                bool end = false;
                for (int slot = 0; !end && slot < _slots; slot += SlotsPerRead)
                {
                    int n = ReadSlots(b, slot, raw);
                    end = n < 0;
                    for (int k = 0; !end && k < n; k++)
                    {
                        end = BlankAt(raw, k);
                        if (!end)
                        {
                            System.Array.Copy(raw, k * BootStateRecord.Size, one, 0, one.Length);
                            BootStateRecord decoded = BootStateRecord.Decode(one);
                            if (decoded != null)
                            {
                                r[b] = decoded;
                            }
                        }
                    }
                }
            }

            bank = r[0] == null && r[1] == null ? -1
                : r[0] == null ? 1
                : r[1] == null ? 0
                : (int)(r[1].Seq - r[0].Seq) > 0 ? 1 : 0;
            other = bank < 0 ? null : r[1 - bank];
            return bank < 0 ? null : r[bank];
        }

        /// <summary>Asks the boot stage to install what is staged.</summary>
        public FlashStatus RequestInstall(byte component, uint imageSize, long imageSeq)
        {
            return RequestInstall(component, imageSize, 0, imageSeq);
        }

        /// <summary>The same for a pair: the firmware's size, then the application's.</summary>
        public FlashStatus RequestInstall(byte component, uint imageSize, uint imageSize2, long imageSeq)
        {
            return RequestInstall(component, imageSize, imageSize2, imageSeq, 0);
        }

        /// <summary>The same on an A/B board: slots = the slot bits the image(s) were written into.</summary>
        public FlashStatus RequestInstall(byte component, uint imageSize, uint imageSize2, long imageSeq, byte slots)
        {
            BootStateRecord r = new BootStateRecord();
            r.Slots = slots;
            r.State = BootStateRecord.StateRequested;
            r.Component = component;
            r.ImageSize = imageSize;
            r.ImageSize2 = imageSize2;
            r.ImageSeq = imageSeq;
            return Write(r);
        }

        /// <summary>Confirms the image under test (the current record must be the boot stage's TESTING).</summary>
        public FlashStatus Confirm(out bool wasTesting)
        {
            int bank;
            BootStateRecord current = Current(out bank);
            wasTesting = current != null && current.State == BootStateRecord.StateTesting;
            if (!wasTesting)
            {
                return FlashStatus.Ok;
            }

            current.State = BootStateRecord.StateConfirmed;
            current.ProgressBase = 0;
            return Write(current);
        }

        private FlashStatus Write(BootStateRecord r)
        {
            int bank;
            BootStateRecord other;
            BootStateRecord current = Banks(out bank, out other);
            r.Seq = current == null ? 1u : current.Seq + 1u;
            r.Writer = BootStateRecord.WriterAgent;
            bool overOwn = current != null && current.Writer == BootStateRecord.WriterAgent
                && other != null && other.Writer == BootStateRecord.WriterBoot;
            int target = overOwn ? bank : bank == 0 ? 1 : 0;
            int slot = FreeSlot(target);
            if (slot < 0)
            {
                FlashStatus s = EraseBank(target);
                if (s != FlashStatus.Ok)
                {
                    return s;
                }

                slot = 0;
            }

            byte[] raw = r.Encode();
            return _area.Write(target * _bankSize + slot * BootStateRecord.Size, raw, 0, raw.Length);
        }

        // Erases a full bank for a new record as the boot stage does (Bootloader/src/bs_state.c, erase_bank): its
        // first sector (the records) always; each further sector (the swap's progress log) only where it does not read
        // erased, since outside a swap nothing writes there (45 ms less per record on an A/B board).
        private FlashStatus EraseBank(int bank)
        {
            int sector = _area.EraseBlockSize;
            int at = bank * _bankSize;
            FlashStatus s = _area.Erase(at, sector);
            byte[] chunk = s == FlashStatus.Ok && _bankSize > sector ? new byte[256] : null;
            for (int off = sector; s == FlashStatus.Ok && off < _bankSize; off += sector)
            {
                bool blank = true;
                for (int i = 0; blank && s == FlashStatus.Ok && i < sector; i += chunk.Length)
                {
                    int n = sector - i < chunk.Length ? sector - i : chunk.Length;
                    s = _area.Read(at + off + i, chunk, 0, n);
                    blank = ErasedCells.All(chunk, 0, n, _area.ErasedValue);
                }

                if (s == FlashStatus.Ok && !blank)
                {
                    s = _area.Erase(at + off, sector);
                }
            }

            return s;
        }
    }
}
