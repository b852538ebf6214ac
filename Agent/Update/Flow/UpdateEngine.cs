using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Staging;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;
using SecureOta.Core.Suit;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// Stages one data set (white paper 000 section 5.2 steps 2-4; 004 execution steps 1-3): reads the
    /// envelope header, has the security chip verify the vendor signature, checks vendor, class,
    /// component, size and the sequence number against the chip's monotonic counter — all before a
    /// single staging byte is written — then erases staging and streams the payload through fixed
    /// buffers, decrypting with the KEK the chip derives and hashing the plaintext, and only after the
    /// digest matches writes the envelope header and asks the boot stage to install.
    /// </summary>
    public sealed partial class UpdateEngine
    {
        /// <summary>Payload chunk: the only buffer that grows with nothing (4 KiB, one flash sector).</summary>
        public const int ChunkSize = 4096;

        private readonly SecurityChip _chip;
        private readonly StagingWriter _staging;
        private readonly BootStateArea _bootState;
        private readonly DevicePolicy _policy;
        private readonly ISha256 _sha;
        private readonly IAesFactory _aes;
        // The envelope header as read; once it is programmed into staging (WriteHeaderBody, before the
        // image), also the prefetcher's second chunk buffer (MaxHeaderLength equals ChunkSize, both 4 KiB).
        private readonly byte[] _header = new byte[SuitEnvelopeReader.MaxHeaderLength];
        private readonly byte[] _chunk = new byte[ChunkSize];
        private readonly ResumeJournal _journal;

        public UpdateEngine(SecurityChip chip, IFlashArea staging, IFlashArea bootState, DevicePolicy policy, ISha256 sha, IAesFactory aes)
        {
            _chip = chip;
            _staging = new StagingWriter(staging);
            _journal = new ResumeJournal(staging);
            _bootState = new BootStateArea(bootState);
            _policy = policy;
            _sha = sha;
            _aes = aes;
        }

        /// <summary>Told when a data set passed every check, before the first staging write (may be null).</summary>
        public IStageObserver Observer;

        /// <summary>Fetches detached payloads (null: a data set with a detached payload is refused before staging).</summary>
        public IPayloadFetcher PayloadFetcher;

        // Where the payload is read from: the data set itself after its header, or a detached payload from 0.
        private long _payloadStart;
        private long _payloadLength;

        /// <summary>
        /// Stages one data set. The steps, in the order the white paper and the profile require: every
        /// check happens before the first staging write, and the boot stage is asked to install only
        /// after the whole image was written and its digest matched.
        /// </summary>
        public UpdateOutcome Stage(IByteSource source)
        {
            UpdateOutcome busy = BuffersInUse();
            if (busy != null)
            {
                return busy;
            }

            int headerBytes;
            SuitEnvelope envelope;
            UpdateOutcome failed = ReadEnvelopeHeader(source, out headerBytes, out envelope);
            if (failed == null)
            {
                failed = Authenticate(envelope);
            }

            if (failed == null)
            {
                failed = CheckAgainstPolicy(envelope);
            }

            if (failed == null)
            {
                failed = CheckStagingIsOurs();
            }

            // A pair opens one decryptor per image, each with its own encryption info (StagePair).
            if (failed == null && envelope.Manifest.IsPair)
            {
                return StagePair(envelope);
            }

            SuitParameters parameters = failed == null ? envelope.Manifest.Parameters[0] : null;
            AesCtr decryptor = null;
            if (failed == null && parameters.EncryptionInfo != null)
            {
                failed = OpenDecryptor(parameters, out decryptor);
            }

            // The payload: after the header in the data set, or (detached) fetched from the manifest's
            // uri, which is only read now that the manifest is authenticated and fits this device.
            IByteSource payloadSource = source;
            if (failed == null)
            {
                failed = OpenPayload(envelope, parameters, ref payloadSource);
            }

            if (failed != null)
            {
                return failed;
            }

            // Everything checked: now, and only now, staging is written.
            if (Observer != null)
            {
                Observer.Verified(envelope.Manifest.SequenceNumber, parameters.ImageSize);
            }

            PayloadVerifier payload = new PayloadVerifier(_sha, parameters, decryptor);
            long written;
            failed = WriteAndHash(payloadSource, envelope, headerBytes, payload, out written);
            if (payloadSource != source)
            {
                PayloadFetcher.Close(payloadSource);
            }

            if (failed == null)
            {
                failed = HandOff(envelope, payload);
            }

            if (failed != null)
            {
                return failed;
            }

            UpdateOutcome ok = new UpdateOutcome(UpdateFailure.None, 0, "staged");
            ok.Sequence = envelope.Manifest.SequenceNumber;
            ok.BytesStaged = written;
            return ok;
        }

        // Step 1: the envelope header (everything before the first payload byte), read and structured.
        private UpdateOutcome ReadEnvelopeHeader(IByteSource source, out int headerBytes, out SuitEnvelope envelope)
        {
            envelope = null;
            headerBytes = 0;
            long total = source.Length;
            if (total <= 0)
            {
                return new UpdateOutcome(UpdateFailure.Network, 0, "the data set's length is unknown");
            }

            headerBytes = ReadFully(source, _header, 0, total < _header.Length ? (int)total : _header.Length);
            if (headerBytes < 0)
            {
                return new UpdateOutcome(UpdateFailure.Network, source.FailureCode, "download failed while reading the envelope header: " + source.FailureMessage);
            }

            SuitResult r = SuitEnvelopeReader.Read(_header, headerBytes, total, out envelope);
            if (!r.IsOk)
            {
                return Rejected(r);
            }

            return null;
        }

        // Step 5b: where the payload bytes come from. Integrated: the data set after its header (the bytes
        // of it already read are in _header). Detached: the whole data set was the header; the payload
        // comes from the manifest's uri (checked by the profile: absolute http or https), exactly
        // image-size bytes.
        private UpdateOutcome OpenPayload(SuitEnvelope envelope, SuitParameters parameters, ref IByteSource payloadSource)
        {
            if (envelope.HasIntegratedPayload)
            {
                _payloadStart = envelope.HeaderLength;
                _payloadLength = envelope.PayloadLength;
                return null;
            }

            if (PayloadFetcher == null)
            {
                return Rejected(new SuitResult(SuitError.MissingField, -1, "the payload is detached and this agent has no way to fetch it"));
            }

            string failure;
            string uri = envelope.Manifest.FetchParameters.Uri;
            IByteSource detached = PayloadFetcher.Open(uri, parameters.ImageSize, out failure);
            if (detached == null)
            {
                return new UpdateOutcome(UpdateFailure.Network, 0, "cannot fetch the detached payload from " + uri + ": " + failure);
            }

            if (detached.Length != parameters.ImageSize)
            {
                PayloadFetcher.Close(detached);
                return Rejected(new SuitResult(SuitError.PayloadSizeMismatch, -1, "the detached payload at " + uri + " is " + detached.Length.ToString() + " bytes, image-size says " + parameters.ImageSize.ToString()));
            }

            payloadSource = detached;
            _payloadStart = 0;
            _payloadLength = parameters.ImageSize;
            return null;
        }

        // Step 2: the manifest digest, then the vendor's signature checked by the security chip (trust anchor).
        private UpdateOutcome Authenticate(SuitEnvelope envelope)
        {
            ChipSignatureVerifier verifier = new ChipSignatureVerifier(_chip, SecurityChip.OidUpdateTrustAnchor);
            SuitResult r = SuitAuthenticator.Authenticate(envelope, _sha, verifier);
            if (r.IsOk)
            {
                return null;
            }

            ChipResult chip = verifier.LastResult;
            if (chip != null && !chip.IsOk && chip.DeviceError != ChipErrors.DeviceSignatureFailure)
            {
                return new UpdateOutcome(UpdateFailure.Chip, chip.Code, "signature check on the security chip failed: " + chip.Message);
            }

            return Rejected(r);
        }

        // Step 3: the (now authenticated) manifest, then this device's policy: profile, canonical form,
        // vendor, class, component, size, and a sequence above the chip's anti-rollback counter.
        private UpdateOutcome CheckAgainstPolicy(SuitEnvelope envelope)
        {
            SuitResult r = SuitManifestParser.Parse(envelope, _sha);
            if (!r.IsOk)
            {
                return Rejected(r);
            }

            ChipResult counterResult;
            long counter = _chip.ReadAntiRollback(out counterResult);
            if (counter < 0)
            {
                return new UpdateOutcome(UpdateFailure.Chip, counterResult.Code, "cannot read the anti-rollback counter: " + counterResult.Message);
            }

            _policy.CurrentSequence = counter;
            r = _policy.Check(envelope);
            if (!r.IsOk)
            {
                return Rejected(r);
            }

            UpdateOutcome slot = SelectImageArea(envelope.Manifest);
            if (slot != null)
            {
                return slot;
            }

            long size = envelope.Manifest.IsPair ? PairSpan(envelope.Manifest) : envelope.Manifest.Parameters[0].ImageSize;
            if (Slots != null)
            {
                return null; /* each image was checked against its own slot (SelectSlot) */
            }

            if (size > _staging.Capacity)
            {
                return new UpdateOutcome(UpdateFailure.TooLarge, 0, "image of " + size.ToString() + " bytes does not fit the " + (_staging.InSlot ? "slot" : "staging partition"));
            }

            return null;
        }

        /// <summary>
        /// The A/B board's hand-over (docs/boot-protocol.md, "A/B slots"), or null on a swap board: with it
        /// the image goes straight into the component's writable slot and the request names the slots.
        /// </summary>
        public ISlotHandover Slots;

        // Where this data set's image goes: staging on a swap board, the writable slot on an A/B board.
        private UpdateOutcome SelectImageArea(SuitManifest m)
        {
            if (Slots == null)
            {
                _staging.UseImageArea(null);
                return null;
            }

            if (m.IsPair)
            {
                // Each image into its own component's writable slot (docs/boot-protocol.md, "A/B slots"); StagePair selects them in turn.
                UpdateOutcome firmware = PairSlot(m, 0);
                return firmware != null ? firmware : PairSlot(m, 1);
            }

            return SelectSlot(ComponentOf(m), m.ComponentName, m.Parameters[0].ImageSize);
        }

        // A pair's image k (0 the firmware, 1 the application) on an A/B board.
        private UpdateOutcome PairSlot(SuitManifest m, int k)
        {
            return k == 0
                ? SelectSlot(BootStateRecord.ComponentNanoclr, "nanoclr", m.Parameters[0].ImageSize)
                : SelectSlot(BootStateRecord.ComponentDeploy, "deploy", m.Parameters[1].ImageSize);
        }

        // The component's writable slot on an A/B board selected as where the image goes, after checking
        // that the hand-over leaves one writable, that the board has it, and that the image fits it.
        private UpdateOutcome SelectSlot(byte component, string name, long imageSize)
        {
            int writable = SlotChoice.Writable(Slots, component);
            IFlashArea area = writable < 0 ? null : Slots.SlotArea(component, writable);
            if (writable < 0)
            {
                return new UpdateOutcome(UpdateFailure.BootStage, 0, "no slot of " + name + " is writable now (the boot stage's hand-over protects both: an image under test, or a recovery boot); reboot after the test and try again");
            }

            if (area == null)
            {
                return new UpdateOutcome(UpdateFailure.TooLarge, 0, "this board has no second slot for " + name);
            }

            if (imageSize > area.Size)
            {
                return new UpdateOutcome(UpdateFailure.TooLarge, 0, "the " + name + " image of " + imageSize.ToString() + " bytes does not fit the slot");
            }

            _staging.UseImageArea(area);
            return null;
        }

        private static byte ComponentOf(SuitManifest m)
        {
            return m.ComponentName == "nanoclr" ? BootStateRecord.ComponentNanoclr : BootStateRecord.ComponentDeploy;
        }

        // Step 5: staging belongs to the boot stage until it finished the previous update (it holds the
        // old image for a revert while a new one is under test).
        private UpdateOutcome CheckStagingIsOurs()
        {
            int bank;
            BootStateRecord pending = _bootState.Current(out bank);
            if (pending != null && pending.State != BootStateRecord.StateIdle && pending.State != BootStateRecord.StateConfirmed)
            {
                return new UpdateOutcome(UpdateFailure.BootStage, pending.State, "the boot stage has not finished the previous update (state " + pending.State.ToString() + "); reboot first");
            }

            return null;
        }

        // Step 6: the payload streamed through decryption and SHA-256 into staging, chunk by chunk, the
        // resume journal recording each chunk (after a power cut a matching journal resumes).
        private UpdateOutcome WriteAndHash(IByteSource source, SuitEnvelope envelope, int headerBytes, PayloadVerifier payload, out long written)
        {
            _held = HeldUnknown; /* staging changes from here: a held update is gone or replaced */
            byte[] headerDigest = new byte[32];
            _sha.Reset();
            _sha.Update(_header, 0, envelope.HeaderLength);
            _sha.Finish(headerDigest, 0);
            int filled;
            UpdateOutcome prepared = PrepareStaging(source, envelope, headerBytes, headerDigest, payload, out written, out filled);
            if (prepared != null)
            {
                return prepared;
            }

            // The header goes into its region now, all but its first unit (the length: the commit, in
            // HandOff). From here _header is a download buffer; the envelope's parsed fields stay valid.
            FlashStatus body = _staging.WriteHeaderBody(_header, envelope.HeaderLength);
            if (body != FlashStatus.Ok)
            {
                return Flash(body, "writing the envelope header into staging");
            }

            long remaining = _payloadLength - written - filled;
            if (filled > 0)
            {
                // The payload bytes read with the header begin the first chunk: complete it here.
                int want = ChunkSize - filled;
                if (want > remaining)
                {
                    want = (int)remaining;
                }

                int n = ReadFully(source, _chunk, filled, want);
                if (n < want)
                {
                    return new UpdateOutcome(UpdateFailure.Network, source.FailureCode, "download ended after " + (written + filled + (n < 0 ? 0 : n)).ToString() + " payload bytes: " + source.FailureMessage);
                }

                remaining -= n;
                UpdateOutcome first = WriteChunk(payload, _chunk, filled + n, ref written);
                if (first != null || remaining == 0)
                {
                    return first;
                }
            }

            if (remaining == 0)
            {
                return null;
            }

            // The rest: downloaded on the prefetcher's thread while this one decrypts, hashes and programs.
            ChunkPrefetcher ahead = new ChunkPrefetcher(source, remaining, _chunk, _header, PipelineTime, DownloadWaitLimitMilliseconds);
            ahead.Start();
            try
            {
                while (remaining > 0)
                {
                    byte[] chunk;
                    int want = remaining < ChunkSize ? (int)remaining : ChunkSize;
                    int n = ahead.Next(out chunk);
                    if (n < want)
                    {
                        int code = n < 0 ? ahead.FailureCode : source.FailureCode;
                        string why = n < 0 ? ahead.FailureMessage : source.FailureMessage;
                        return new UpdateOutcome(UpdateFailure.Network, code, "download ended after " + (written + (n < 0 ? 0 : n)).ToString() + " payload bytes: " + why);
                    }

                    UpdateOutcome failed = WriteChunk(payload, chunk, n, ref written);
                    ahead.Release();
                    if (failed != null)
                    {
                        return failed;
                    }

                    remaining -= n;
                }

                return null;
            }
            finally
            {
                if (!ahead.Stop())
                {
                    _straggler = ahead;
                }
            }
        }

        // A download's reader that outlived its Stop (a network read longer than the wait limit) may still
        // write into _chunk or _header: nothing uses them until it has ended.
        private ChunkPrefetcher _straggler;

        private UpdateOutcome BuffersInUse()
        {
            if (_straggler != null && _straggler.Running)
            {
                return new UpdateOutcome(UpdateFailure.Network, (int)DownloadError.Stalled, "the previous download's reader is still in a network read (it ends with the network's time-out); try again after it");
            }

            _straggler = null;
            return null;
        }

        /// <summary>Bound of a wait for the next payload chunk while downloading and writing at once.</summary>
        public int DownloadWaitLimitMilliseconds = 120000;

        /// <summary>The model's time across the download's two threads (null on a board: IPipelineTime).</summary>
        public IPipelineTime PipelineTime;

        // One chunk: decrypted and hashed, programmed, then recorded in the resume journal.
        private UpdateOutcome WriteChunk(PayloadVerifier payload, byte[] chunk, int count, ref long written)
        {
            SuitResult r = payload.Update(chunk, 0, count);
            if (!r.IsOk)
            {
                return Rejected(r);
            }

            FlashStatus f = _staging.WriteImage((int)written, chunk, 0, count);
            if (f != FlashStatus.Ok)
            {
                return Flash(f, "writing staging");
            }

            written += count;
            f = _journal.Record((int)(written / ChunkSize));
            return f == FlashStatus.Ok ? null : Flash(f, "recording progress");
        }

        // Step 7: the digest and size of what was staged, then the envelope header beside the image and
        // the install request for the boot stage, which checks everything again.
        private UpdateOutcome HandOff(SuitEnvelope envelope, PayloadVerifier payload)
        {
            SuitResult r = payload.Finish();
            if (!r.IsOk)
            {
                // Nothing is requested: the boot stage never looks at this staging. The staged bytes
                // are what is wrong (a bit flipped in transit, or a staged prefix that changed), so
                // the next attempt must start from zero: a journal kept here would resume at the end
                // and fail on the same bytes again.
                _journal.Discard();

                return Rejected(r);
            }

            FlashStatus f = _staging.WriteHeaderStart(); /* the body was programmed before the image */
            if (f == FlashStatus.Ok && !DeferInstall)
            {
                f = Request(envelope.Manifest);
            }

            _held = f == FlashStatus.Ok && DeferInstall ? envelope.Manifest.SequenceNumber : HeldUnknown;
            return f == FlashStatus.Ok ? null : Flash(f, "handing off to the boot stage");
        }

        /// <summary>
        /// Gets staging ready for the payload. Normally: erase what this image uses and start a resume journal. When
        /// a previous attempt at this very data set and artifact was cut off (the journal matches the
        /// envelope header's digest and the ETag): re-erase what may be half-written (the next chunk's
        /// sector and the header region), hash the chunks already staged by reading them back, and
        /// continue the download after them. Returns null when ready, with the bytes already staged
        /// (written) and the bytes of the first chunk already in the buffer (filled).
        /// </summary>
        private UpdateOutcome PrepareStaging(IByteSource source, SuitEnvelope envelope, int headerBytes, byte[] headerDigest, PayloadVerifier payload, out long written, out int filled)
        {
            written = 0;
            filled = 0;
            SuitParameters parameters = envelope.Manifest.Parameters[0];
            int totalChunks = (int)((parameters.ImageSize + ChunkSize - 1) / ChunkSize);

            // Only whole chunks before the last one count: the last may be short, so it is re-fetched.
            int journalAt = PlaceJournal(envelope.HeaderLength);
            int resumable = _journal.Find(headerDigest, source.Validator);
            int wholeChunks = (int)(parameters.ImageSize / ChunkSize);
            if (resumable > wholeChunks)
            {
                resumable = wholeChunks;
            }

            FlashStatus f = _staging.EraseHeader(envelope.HeaderLength);
            if (f != FlashStatus.Ok)
            {
                return Flash(f, "erasing the staging header region");
            }

            if (resumable > 0 && source.SeekTo(_payloadStart + ((long)resumable * ChunkSize)))
            {
                f = _staging.EraseFromChunk(resumable, parameters.ImageSize);
                if (f != FlashStatus.Ok)
                {
                    return Flash(f, "erasing staging after the resumed part");
                }

                for (int c = 0; c < resumable; c++)
                {
                    f = _staging.ReadImage(c * ChunkSize, _chunk, 0, ChunkSize);
                    SuitResult r = f == FlashStatus.Ok ? payload.ResumeWithPlaintext(_chunk, 0, ChunkSize) : SuitResult.Ok;
                    if (f != FlashStatus.Ok)
                    {
                        return Flash(f, "reading back the staged part");
                    }

                    if (!r.IsOk)
                    {
                        return Rejected(r);
                    }
                }

                _journal.Resume(totalChunks);
                if (journalAt != 0)
                {
                    // The journal lived in the header's sector, which EraseHeader just erased: begun again
                    // with what is staged (a cut before this only costs the resume).
                    f = _journal.Begin(headerDigest, source.Validator, totalChunks);
                    f = f == FlashStatus.Ok ? _journal.Mark(resumable) : f;
                    if (f != FlashStatus.Ok)
                    {
                        return Flash(f, "writing the resume journal again");
                    }
                }

                written = (long)resumable * ChunkSize;
                ResumedFromByte = written;
                return null;
            }

            ResumedFromByte = 0;
            f = _staging.EraseFor(parameters.ImageSize, journalAt == 0);
            if (f == FlashStatus.Ok)
            {
                f = _journal.Begin(headerDigest, source.Validator, totalChunks);
            }

            if (f != FlashStatus.Ok)
            {
                return Flash(f, "erasing staging");
            }

            // Integrated: the payload bytes read with the header are the first chunk's start. Detached:
            // the header was the whole data set, and the payload source starts at its first byte.
            filled = _payloadStart == 0 ? 0 : headerBytes - envelope.HeaderLength;
            System.Array.Copy(_header, envelope.HeaderLength, _chunk, 0, filled);
            return null;
        }

        // Puts the resume journal where the staging layout keeps it for a header of headerLength bytes
        // (StagingWriter.JournalOffset); returns that offset (0: staging sector 0).
        private int PlaceJournal(int headerLength)
        {
            int at = _staging.JournalOffset(headerLength);
            _journal.Place(at, _staging.JournalLength(headerLength));
            return at;
        }

        /// <summary>Plaintext bytes the last Stage found already staged and did not download again.</summary>
        public long ResumedFromByte { get; private set; }

        /// <summary>The boot stage's current record (null on a fresh device).</summary>
        public BootStateRecord CurrentBootRecord()
        {
            int bank;
            return _bootState.Current(out bank);
        }

        /// <summary>The last confirmed sequence number: the chip's anti-rollback counter, or -1 (result says why).</summary>
        public long ConfirmedSequence(out ChipResult result)
        {
            return _chip.ReadAntiRollback(out result);
        }

        /// <summary>
        /// Warm-resets and opens the chip again (frame size, shielded-connection handshake,
        /// application): after a bus fault or an integrity alert the session is gone and the data
        /// link's frame numbers may disagree, so only a reset brings both sides to a known state.
        /// </summary>
        public ChipResult ResetChip()
        {
            return _chip.Reset();
        }

        /// <summary>
        /// After the health check of the new image: confirm it to the boot stage and advance the chip's
        /// anti-rollback counter to its sequence number (at most 255 per command, bounded).
        /// </summary>
        public UpdateOutcome ConfirmRunningImage()
        {
            int bank;
            BootStateRecord current = _bootState.Current(out bank);
            if (current == null || current.State != BootStateRecord.StateTesting)
            {
                return new UpdateOutcome(UpdateFailure.None, 0, "nothing to confirm");
            }

            bool wasTesting;
            FlashStatus f = _bootState.Confirm(out wasTesting);
            if (f != FlashStatus.Ok)
            {
                return Flash(f, "confirming");
            }

            ChipResult result = _chip.RaiseAntiRollback(current.ImageSeq);
            if (!result.IsOk)
            {
                return new UpdateOutcome(UpdateFailure.Chip, result.Code, "cannot advance the anti-rollback counter: " + result.Message);
            }

            UpdateOutcome ok = new UpdateOutcome(UpdateFailure.None, 0, "confirmed");
            ok.Sequence = current.ImageSeq;
            return ok;
        }

        // Step 4 (encrypted data sets): the key-encryption key for the recipient this chip serves, the
        // content key unwrapped, the decryptor opened. Null when it is ready. A Trust M derives the KEK
        // from its update master secret (DeriveKey on the PRESSEC object, the secret never leaves the
        // chip); a Trust X, which has no such object, computes the ECDH of the data set's ephemeral key
        // with the class key in E0F1 (CalcSSec: only this data set's shared secret leaves the chip) and
        // the KEK follows by HKDF (EsDhKek). A Trust M without a master-secret recipient takes the ES-DH
        // one if its chip holds the class key.
        private UpdateOutcome OpenDecryptor(SuitParameters parameters, out AesCtr decryptor)
        {
            decryptor = null;
            CoseEncryptInfo info;
            SuitResult read = SuitPayloadCipher.ReadInfo(parameters, out info);
            if (!read.IsOk)
            {
                return Rejected(read);
            }

            CoseRecipient keyWrap = info.Find(CoseLabels.AlgA128Kw);
            CoseRecipient ecdh = info.Find(CoseLabels.AlgEcdhEsA128Kw);
            CoseRecipient recipient;
            ChipResult kek;
            if (_chip.Part == SecurityChip.PartTrustM && keyWrap != null)
            {
                recipient = keyWrap;
                kek = _chip.DeriveKeyExport(SecurityChip.OidUpdateMasterSecret, KekDerivation.DerivationData(keyWrap.Salt, parameters.ClassId), KekDerivation.KekLength);
            }
            else if (ecdh != null)
            {
                recipient = ecdh;
                kek = _chip.SharedSecretExport(SecurityChip.OidClassKeyAgreementKey, ecdh.EphemeralBitString());
                if (kek.IsOk)
                {
                    byte[] z = kek.Data;
                    kek = ChipResult.Ok(EsDhKek.DeriveKek(_sha, z));
                    System.Array.Clear(z, 0, z.Length);
                }
            }
            else
            {
                return Rejected(new SuitResult(SuitError.DecryptionFailed, -1, "no recipient for this chip: a " + _chip.PartName + " needs " + (_chip.Part == SecurityChip.PartTrustX ? "an ECDH-ES + A128KW recipient" : "a master-secret or an ES-DH recipient")));
            }

            if (!kek.IsOk)
            {
                return new UpdateOutcome(UpdateFailure.Chip, kek.Code, "key derivation on the security chip failed: " + kek.Message);
            }

            decryptor = SuitPayloadCipher.OpenDecryptor(_aes, kek.Data, recipient, info.Iv);
            System.Array.Clear(kek.Data, 0, kek.Data.Length);
            return decryptor == null ? Rejected(new SuitResult(SuitError.DecryptionFailed, -1, "the content key does not unwrap")) : null;
        }

        // Reads exactly count bytes unless the source ends; -1 on a transport failure.
        private static int ReadFully(IByteSource source, byte[] buffer, int offset, int count)
        {
            return SourceReader.ReadFully(source, buffer, offset, count);
        }

        private static UpdateOutcome Rejected(SuitResult r)
        {
            return new UpdateOutcome(UpdateFailure.DataSetRejected, (int)r.Error, r.ToString());
        }

        private static UpdateOutcome Flash(FlashStatus f, string what)
        {
            return new UpdateOutcome(UpdateFailure.Flash, (int)f, "flash failed while " + what + ": " + f.ToString());
        }
    }
}
