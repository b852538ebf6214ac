using SecureOta.Agent.Update.Staging;
using SecureOta.Core.Suit;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// A staged update held back by its install policy (issue 18, docs/boot-protocol.md "Held updates"):
    /// Stage with DeferInstall writes the image and the envelope header as always but not the install
    /// request, so the boot stage never sees it and a power cut changes nothing. When the policy allows,
    /// InstallHeld trusts nothing of what lies in staging: it reads the header back, has the chip verify its
    /// signature again, checks it against the device (sequence above the counter, ids, firmware version),
    /// hashes every staged image byte against the signed digests, and only then asks the boot stage to
    /// install, which checks everything once more.
    /// </summary>
    public sealed partial class UpdateEngine
    {
        private const long HeldUnknown = -2, HeldNone = -1;

        /// <summary>Stage writes no install request: the caller installs later with InstallHeld.</summary>
        public bool DeferInstall;

        // The held sequence as last seen (HeldUnknown: read staging again).
        private long _held = HeldUnknown;

        /// <summary>
        /// The sequence of the update held in staging, or -1. Held: staging carries a complete header whose
        /// sequence lies above the chip's counter, the boot stage has nothing pending, and its last decision
        /// was not about that sequence (after a revert or a refusal the old image lies in staging: not held).
        /// Cheap (the header is parsed, not verified); InstallHeld verifies.
        /// </summary>
        public long HeldSequence()
        {
            if (_held != HeldUnknown)
            {
                return _held;
            }

            if (BuffersInUse() != null)
            {
                return HeldNone; /* the header buffer is not ours yet: ask again later (nothing cached) */
            }

            _held = HeldNone;
            SuitEnvelope envelope = ReadStagedEnvelope();
            BootStateRecord record = CurrentBootRecord();
            ChipResult chip;
            long counter = _chip.ReadAntiRollback(out chip);
            if (envelope == null || counter < 0 || CheckStagingIsOurs() != null)
            {
                if (counter < 0)
                {
                    _held = HeldUnknown; /* ask again when the chip answers */
                }

                return HeldNone;
            }

            long sequence = envelope.Manifest.SequenceNumber;
            bool decided = record != null && record.Writer == BootStateRecord.WriterBoot && record.Reason != 0 && record.ImageSeq == sequence;
            if (sequence > counter && !decided)
            {
                _held = sequence;
            }

            return _held;
        }

        /// <summary>Verifies the held update again, from flash, and asks the boot stage to install it.</summary>
        public UpdateOutcome InstallHeld()
        {
            UpdateOutcome failed = BuffersInUse();
            if (failed == null)
            {
                failed = CheckStagingIsOurs();
            }

            if (failed != null)
            {
                return failed;
            }

            SuitEnvelope envelope;
            SuitResult read = ReadStagedHeader(out envelope);
            if (!read.IsOk)
            {
                _held = HeldUnknown;
                return Rejected(read);
            }

            failed = Authenticate(envelope);
            if (failed == null)
            {
                failed = CheckAgainstPolicy(envelope);
            }

            SuitManifest m = failed == null ? envelope.Manifest : null;
            for (int k = 0; failed == null && k < (m.IsPair ? 2 : 1); k++)
            {
                long at = k == 0 ? 0 : ((m.Parameters[0].ImageSize + _staging.SectorSize - 1) / _staging.SectorSize) * _staging.SectorSize;
                if (Slots != null && m.IsPair)
                {
                    at = 0;
                    failed = PairSlot(m, k);
                }

                failed = failed == null ? HashStaged(m.Parameters[k], at) : failed;
            }

            if (failed == null)
            {
                FlashStatus f = Request(m);
                failed = f == FlashStatus.Ok ? null : Flash(f, "handing off to the boot stage");
            }

            _held = HeldUnknown;
            if (failed != null)
            {
                // What lies in staging is not used again: a resume would start from the bytes that failed.
                PlaceJournal(envelope.HeaderLength);
                _journal.Discard();
                return failed;
            }

            UpdateOutcome ok = new UpdateOutcome(UpdateFailure.None, 0, "held update verified again and requested");
            ok.Sequence = m.SequenceNumber;
            return ok;
        }

        // The install request for what is staged: one image, or a pair (docs/boot-protocol.md, "Boot state").
        private FlashStatus Request(SuitManifest m)
        {
            if (m.IsPair)
            {
                byte both = Slots == null ? (byte)0 : (byte)(Slots.Home ^ (SlotChoice.Bit(BootStateRecord.ComponentDeploy) | SlotChoice.Bit(BootStateRecord.ComponentNanoclr)));
                return _bootState.RequestInstall(BootStateRecord.ComponentPair, (uint)m.Parameters[0].ImageSize, (uint)m.Parameters[1].ImageSize, m.SequenceNumber, both);
            }

            byte component = ComponentOf(m);
            byte slots = Slots == null ? (byte)0 : SlotChoice.RequestSlots(Slots, component);
            return _bootState.RequestInstall(component, (uint)m.Parameters[0].ImageSize, 0, m.SequenceNumber, slots);
        }

        // The staged plaintext of one image, read back chunk by chunk, against its signed size and digest.
        private UpdateOutcome HashStaged(SuitParameters p, long at)
        {
            PayloadVerifier verifier = new PayloadVerifier(_sha, p, null);
            for (long done = 0; done < p.ImageSize; done += ChunkSize)
            {
                int n = p.ImageSize - done < ChunkSize ? (int)(p.ImageSize - done) : ChunkSize;
                FlashStatus f = _staging.ReadImage((int)(at + done), _chunk, 0, n);
                if (f != FlashStatus.Ok)
                {
                    return Flash(f, "reading back the held image");
                }

                SuitResult r = verifier.Update(_chunk, 0, n);
                if (!r.IsOk)
                {
                    return Rejected(r);
                }
            }

            SuitResult matched = verifier.Finish();
            return matched.IsOk ? null : Rejected(matched);
        }

        // The envelope header in staging's header region, read into _header and structured (not yet verified).
        private SuitResult ReadStagedHeader(out SuitEnvelope envelope)
        {
            envelope = null;
            int n = _staging.ReadHeader(_header);
            return n < 0
                ? new SuitResult(SuitError.Truncated, -1, "staging holds no envelope header")
                : SuitEnvelopeReader.Read(_header, n, -1, out envelope);
        }

        // The staged envelope with its manifest parsed, or null: enough to say what is held, not to trust it.
        private SuitEnvelope ReadStagedEnvelope()
        {
            SuitEnvelope envelope;
            if (!ReadStagedHeader(out envelope).IsOk || !SuitManifestParser.Parse(envelope, _sha).IsOk)
            {
                return null;
            }

            return envelope;
        }
    }
}
