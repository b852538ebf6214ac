using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// The agent's side of the boot-state area (docs/boot-protocol.md): two banks, the valid record with
    /// the higher sequence number current; a new record goes into the other bank (erase, program), so a
    /// power cut leaves the previous record current.
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
            BootStateRecord best = null;
            bank = -1;
            byte[] raw = new byte[BootStateRecord.Size];
            for (int b = 0; b < 2; b++)
            {
                if (_area.Read(b * _bankSize, raw, 0, raw.Length) != FlashStatus.Ok)
                {
                    continue;
                }

                BootStateRecord r = BootStateRecord.Decode(raw);
                if (r != null && (best == null || (int)(r.Seq - best.Seq) > 0))
                {
                    best = r;
                    bank = b;
                }
            }

            return best;
        }

        /// <summary>Asks the boot stage to install what is staged.</summary>
        public FlashStatus RequestInstall(byte component, uint imageSize, long imageSeq)
        {
            return RequestInstall(component, imageSize, 0, imageSeq);
        }

        /// <summary>The same for a pair: the firmware's size, then the application's.</summary>
        public FlashStatus RequestInstall(byte component, uint imageSize, uint imageSize2, long imageSeq)
        {
            BootStateRecord r = new BootStateRecord();
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
            BootStateRecord current = Current(out bank);
            r.Seq = current == null ? 1u : current.Seq + 1u;
            r.Writer = BootStateRecord.WriterAgent;
            int target = bank == 0 ? 1 : 0;
            FlashStatus s = _area.Erase(target * _bankSize, _bankSize);
            if (s != FlashStatus.Ok)
            {
                return s;
            }

            byte[] raw = r.Encode();
            return _area.Write(target * _bankSize, raw, 0, raw.Length);
        }
    }
}
