using SecureOta.Agent.Update.Staging;
using SecureOta.Core.Crypto;
using SecureOta.Core.Suit;
using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// Staging firmware and application together (docs/data-set-format.md 1b, docs/boot-protocol.md
    /// "Staging"): the envelope, already verified, is the header; the firmware is fetched into staging from
    /// sector 1 and the application right after the firmware's last sector, each from its own detached uri,
    /// hashed against its own digest; then one request names both. On an A/B board each image goes into
    /// its own component's writable slot from offset 0 instead. A pair is not resumed after a power
    /// cut (the journal is for one image): staging starts again, which costs the download, not safety.
    /// </summary>
    public sealed partial class UpdateEngine
    {
        // Bytes of staging a pair uses after the gap: the firmware rounded up to whole sectors, then the application.
        private long PairSpan(SuitManifest m)
        {
            int s = _staging.SectorSize;
            return ((m.Parameters[0].ImageSize + s - 1) / s) * s + m.Parameters[1].ImageSize;
        }

        private UpdateOutcome StagePair(SuitEnvelope envelope)
        {
            SuitManifest m = envelope.Manifest;
            if (PayloadFetcher == null)
            {
                return Rejected(new SuitResult(SuitError.MissingField, -1, "the payloads are detached and this agent has no way to fetch them"));
            }

            if (Observer != null)
            {
                Observer.Verified(m.SequenceNumber, m.Parameters[0].ImageSize + m.Parameters[1].ImageSize);
            }

            // The journal would describe one image: a fresh start erases it with sector 0.
            _held = HeldUnknown;
            FlashStatus f = _staging.EraseHeader(envelope.HeaderLength);
            if (f == FlashStatus.Ok && Slots == null)
            {
                f = _staging.EraseFor(PairSpan(m));
            }

            if (f != FlashStatus.Ok)
            {
                return Flash(f, "erasing staging");
            }

            int s = _staging.SectorSize;
            long written = 0;
            for (int k = 0; k < 2; k++)
            {
                SuitParameters p = m.Parameters[k];
                long at = k == 0 ? 0 : ((m.Parameters[0].ImageSize + s - 1) / s) * s;
                UpdateOutcome failed = null;
                if (Slots != null)
                {
                    // A/B: each image from offset 0 of its own slot (PairSlot selects it and its erase range).
                    at = 0;
                    failed = PairSlot(m, k);
                    f = failed == null ? _staging.EraseFor(p.ImageSize) : FlashStatus.Ok;
                    if (f != FlashStatus.Ok)
                    {
                        return Flash(f, "erasing the slot");
                    }
                }

                AesCtr decryptor = null;
                if (failed == null && p.EncryptionInfo != null)
                {
                    failed = OpenDecryptor(p, out decryptor);
                }
                if (failed == null)
                {
                    failed = FetchImage(p, at, decryptor);
                }

                if (failed != null)
                {
                    return failed;
                }

                written += p.ImageSize;
            }

            f = _staging.WriteHeader(_header, envelope.HeaderLength);
            if (f == FlashStatus.Ok && !DeferInstall)
            {
                f = Request(m);
            }

            _held = f == FlashStatus.Ok && DeferInstall ? m.SequenceNumber : HeldUnknown;

            if (f != FlashStatus.Ok)
            {
                return Flash(f, "handing off to the boot stage");
            }

            ResumedFromByte = 0;
            UpdateOutcome ok = new UpdateOutcome(UpdateFailure.None, 0, "staged");
            ok.Sequence = m.SequenceNumber;
            ok.BytesStaged = written;
            return ok;
        }

        // One image of a pair: exactly image-size bytes from its uri into staging at `at` (after the gap),
        // hashed as they are written; the digest must match before the next step.
        private UpdateOutcome FetchImage(SuitParameters p, long at, AesCtr decryptor)
        {
            string failure;
            string uri = p.PayloadUri;
            IByteSource source = PayloadFetcher.Open(uri, p.ImageSize, out failure);
            if (source == null)
            {
                return new UpdateOutcome(UpdateFailure.Network, 0, "cannot fetch " + uri + ": " + failure);
            }

            UpdateOutcome result = null;
            if (source.Length != p.ImageSize)
            {
                result = Rejected(new SuitResult(SuitError.PayloadSizeMismatch, -1, "the payload at " + uri + " is " + source.Length.ToString() + " bytes, image-size says " + p.ImageSize.ToString()));
            }

            PayloadVerifier verifier = new PayloadVerifier(_sha, p, decryptor);
            long done = 0;
            while (result == null && done < p.ImageSize)
            {
                int want = p.ImageSize - done < ChunkSize ? (int)(p.ImageSize - done) : ChunkSize;
                int n = ReadFully(source, _chunk, 0, want);
                if (n < want)
                {
                    result = new UpdateOutcome(UpdateFailure.Network, source.FailureCode, "download of " + uri + " ended after " + (done + (n < 0 ? 0 : n)).ToString() + " bytes: " + source.FailureMessage);
                    break;
                }

                SuitResult r = verifier.Update(_chunk, 0, n);
                if (!r.IsOk)
                {
                    result = Rejected(r);
                    break;
                }

                FlashStatus f = _staging.WriteImage((int)(at + done), _chunk, 0, n);
                if (f != FlashStatus.Ok)
                {
                    result = Flash(f, "writing staging");
                    break;
                }

                done += n;
            }

            PayloadFetcher.Close(source);
            if (result == null)
            {
                SuitResult r = verifier.Finish();
                if (!r.IsOk)
                {
                    result = Rejected(r);
                }
            }

            return result;
        }
    }
}
