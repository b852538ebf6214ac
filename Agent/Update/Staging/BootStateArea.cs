using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// The agent's side of the boot-state area (docs/boot-protocol.md): two banks, the valid record with
    /// the higher sequence number current. The agent never replaces the boot stage's newest record: its
    /// record goes into the other bank when the current one is the boot stage's, else over its own
    /// earlier one (erase, program), so a power cut loses at most the agent's record (an A/B board needs
    /// the boot stage's last word to know which slots are confirmed; Bootloader/src/bs_state.c,
    /// bs_state_write_keeping_boot, does the same). A bank's log sectors are erased only where they
    /// do not read erased (EraseBank).
    /// </summary>
    public sealed class BootStateArea
    {
        private readonly IFlashArea _area;
        private readonly int _bankSize;

        public BootStateArea(IFlashArea area)
        {
            _area = area;
            _bankSize = (area.Size / 2) / area.EraseBlockSize * area.EraseBlockSize;
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
            for (int b = 0; b < 2; b++)
            {
                byte[] raw = new byte[BootStateRecord.Size];
                if (_area.Read(b * _bankSize, raw, 0, raw.Length) == FlashStatus.Ok)
                {
                    r[b] = BootStateRecord.Decode(raw);
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
            FlashStatus s = EraseBank(target);
            if (s != FlashStatus.Ok)
            {
                return s;
            }

            byte[] raw = r.Encode();
            return _area.Write(target * _bankSize, raw, 0, raw.Length);
        }

        // Erases a bank for a new record as the boot stage does (Bootloader/src/bs_state.c, erase_bank): its
        // first sector always; each further sector (the swap's progress log) only where it does not read
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
                    for (int k = 0; k < n; k++)
                    {
                        blank &= chunk[k] == _area.ErasedValue;
                    }
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
