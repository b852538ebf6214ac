using System.Collections;
using SecureOta.Core.Cbor;
using SecureOta.Core.Cose;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Reads the outer SUIT_Envelope (manifest-37, 8.2) from the first bytes of a data set: the
    /// authentication wrapper, the manifest's boundaries, severed members, and the integrated payload's
    /// header, stopping before the first payload byte. Nothing inside the manifest is interpreted here:
    /// the signature must be verified first (SuitAuthenticator).
    /// Profile rules (docs/data-set-format.md): integer members in ascending order, authentication
    /// before manifest, at most one integrated payload and it comes last, header at most 4 KiB.
    /// </summary>
    public static class SuitEnvelopeReader
    {
        /// <summary>Everything before the first payload byte must fit in this many bytes.</summary>
        public const int MaxHeaderLength = 4096;

        /// <summary>Signatures accepted in one authentication wrapper.</summary>
        public const int MaxSignatures = 4;

        /// <summary>
        /// Reads the envelope from buffer[0..length). totalLength is the data set's full length when known
        /// (then the payload must end exactly there), or -1.
        /// </summary>
        public static SuitResult Read(byte[] buffer, int length, long totalLength, out SuitEnvelope envelope)
        {
            envelope = null;
            if (buffer == null || length < 0 || length > buffer.Length)
            {
                return new SuitResult(SuitError.Truncated, -1, "no data");
            }

            try
            {
                envelope = ReadEnvelope(buffer, length, totalLength);
                return SuitResult.Ok;
            }
            catch (CborException e)
            {
                envelope = null;
                if (e.Error == CborError.Truncated)
                {
                    bool haveAll = totalLength >= 0 && length >= totalLength;
                    if (!haveAll && length >= MaxHeaderLength)
                    {
                        return new SuitResult(SuitError.HeaderTooLarge, e.Offset, "envelope header is larger than " + MaxHeaderLength.ToString() + " bytes");
                    }

                    return new SuitResult(SuitError.Truncated, e.Offset, "data set is truncated: " + e.Message);
                }

                return new SuitResult(SuitError.Malformed, e.Offset, "malformed envelope: " + e.Message);
            }
            catch (CoseException e)
            {
                envelope = null;
                return new SuitResult(SuitError.UnsupportedAlgorithm, e.Offset, e.Message);
            }
            catch (SuitException e)
            {
                envelope = null;
                return new SuitResult(e.Error, e.Offset, e.Message);
            }
        }

        private static SuitEnvelope ReadEnvelope(byte[] buffer, int length, long totalLength)
        {
            CborReader r = new CborReader(buffer, 0, length);
            if (r.AtEnd || r.PeekMajorType() != CborType.Tag || r.ReadTag() != SuitLabels.TagEnvelope)
            {
                throw new SuitException(SuitError.NotAnEnvelope, 0, "not a SUIT envelope (CBOR tag 107 expected)");
            }

            if (r.PeekMajorType() != CborType.Map)
            {
                throw new SuitException(SuitError.NotAnEnvelope, r.Position, "SUIT envelope must be a map");
            }

            SuitEnvelope env = new SuitEnvelope();
            env.Buffer = buffer;
            env.PayloadOffset = -1;
            env.SeveredInstallWrappedOffset = -1;
            env.SeveredTextWrappedOffset = -1;
            env.SeveredPayloadFetchWrappedOffset = -1;
            env.ManifestWrappedOffset = -1;

            int pairs = r.ReadMapHeader();
            long lastKey = -1;
            for (int i = 0; i < pairs; i++)
            {
                int keyAt = r.Position;
                int major = r.PeekMajorType();
                if (major == CborType.TextString)
                {
                    string key = r.ReadTextString(64);
                    if (i != pairs - 1)
                    {
                        throw new SuitException(SuitError.PayloadMisplaced, keyAt, "integrated payload \"" + key + "\" must be the envelope's last member");
                    }

                    ReadIntegratedPayload(r, env, key, totalLength);
                    return env;
                }

                if (major != CborType.UnsignedInteger)
                {
                    throw new SuitException(SuitError.UnsupportedElement, keyAt, "envelope member key must be an unsigned integer or text");
                }

                long k = r.ReadInt64();
                if (k <= lastKey)
                {
                    throw new SuitException(SuitError.Malformed, keyAt, "envelope members out of order (deterministic encoding required)");
                }

                lastKey = k;
                int wrappedStart = r.Position;
                int contentLength;
                int content = r.ReadByteString(out contentLength);
                int wrappedLength = r.Position - wrappedStart;
                if (k == SuitLabels.EnvelopeAuthentication)
                {
                    ReadAuthentication(buffer, content, contentLength, env);
                }
                else if (k == SuitLabels.EnvelopeManifest)
                {
                    env.ManifestWrappedOffset = wrappedStart;
                    env.ManifestWrappedLength = wrappedLength;
                    env.ManifestOffset = content;
                    env.ManifestLength = contentLength;
                }
                else if (k == SuitLabels.EnvelopeInstall)
                {
                    env.SeveredInstallWrappedOffset = wrappedStart;
                    env.SeveredInstallWrappedLength = wrappedLength;
                }
                else if (k == SuitLabels.EnvelopeText)
                {
                    env.SeveredTextWrappedOffset = wrappedStart;
                    env.SeveredTextWrappedLength = wrappedLength;
                }
                else if (k == SuitLabels.EnvelopePayloadFetch)
                {
                    env.SeveredPayloadFetchWrappedOffset = wrappedStart;
                    env.SeveredPayloadFetchWrappedLength = wrappedLength;
                }
                else
                {
                    throw new SuitException(SuitError.UnsupportedElement, keyAt, "unknown envelope member " + k.ToString());
                }

                if (r.Position > MaxHeaderLength)
                {
                    throw new SuitException(SuitError.HeaderTooLarge, keyAt, "envelope header is larger than " + MaxHeaderLength.ToString() + " bytes");
                }
            }

            CheckRequired(env);
            env.HeaderLength = r.Position;
            if (totalLength >= 0 && totalLength != r.Position)
            {
                throw new SuitException(SuitError.Malformed, r.Position, "bytes follow the envelope");
            }

            return env;
        }

        private static void ReadIntegratedPayload(CborReader r, SuitEnvelope env, string key, long totalLength)
        {
            CheckRequired(env);
            int at = r.Position;
            ulong declared = r.ReadByteStringHeader();
            if (declared > 0x7FFFFFFFUL)
            {
                throw new SuitException(SuitError.ImageTooLarge, at, "integrated payload declares " + declared.ToString() + " bytes");
            }

            if (r.Position > MaxHeaderLength)
            {
                throw new SuitException(SuitError.HeaderTooLarge, at, "envelope header is larger than " + MaxHeaderLength.ToString() + " bytes");
            }

            env.PayloadKey = key;
            env.PayloadOffset = r.Position;
            env.PayloadLength = (long)declared;
            env.HeaderLength = r.Position;
            if (totalLength >= 0)
            {
                long end = env.PayloadOffset + env.PayloadLength;
                if (end > totalLength)
                {
                    throw new SuitException(SuitError.Truncated, at, "payload declares " + declared.ToString() + " bytes but the data set ends " + (end - totalLength).ToString() + " bytes early");
                }

                if (end < totalLength)
                {
                    throw new SuitException(SuitError.PayloadMisplaced, (int)end, "bytes follow the integrated payload");
                }
            }
        }

        private static void CheckRequired(SuitEnvelope env)
        {
            if (env.Signatures == null)
            {
                throw new SuitException(SuitError.MissingField, 0, "envelope has no authentication wrapper");
            }

            if (env.ManifestWrappedOffset < 0)
            {
                throw new SuitException(SuitError.MissingField, 0, "envelope has no manifest");
            }
        }

        // SUIT_Authentication = [ bstr .cbor SUIT_Digest, + bstr .cbor SUIT_Authentication_Block ]
        private static void ReadAuthentication(byte[] buffer, int offset, int length, SuitEnvelope env)
        {
            CborReader r = new CborReader(buffer, offset, length);
            int count = r.ReadArrayHeader();
            if (count < 2)
            {
                throw new SuitException(SuitError.BadSignature, offset, "authentication wrapper holds no signature");
            }

            if (count - 1 > MaxSignatures)
            {
                throw new SuitException(SuitError.UnsupportedElement, offset, "more than " + MaxSignatures.ToString() + " signatures");
            }

            int digestLength;
            int digestOffset = r.ReadByteString(out digestLength);
            env.AuthDigestEncodedOffset = digestOffset;
            env.AuthDigestEncodedLength = digestLength;
            int alg;
            env.AuthDigest = SuitDigest.Read(buffer, digestOffset, digestLength, out alg);
            env.AuthDigestAlgorithm = alg;

            ArrayList signatures = new ArrayList();
            for (int i = 1; i < count; i++)
            {
                int blockLength;
                int block = r.ReadByteString(out blockLength);
                CborReader br = new CborReader(buffer, block, blockLength);
                signatures.Add(CoseSign1.Parse(br));
                if (!br.AtEnd)
                {
                    throw new SuitException(SuitError.Malformed, br.Position, "trailing bytes after COSE_Sign1");
                }
            }

            if (!r.AtEnd)
            {
                throw new SuitException(SuitError.Malformed, r.Position, "trailing bytes in the authentication wrapper");
            }

            env.Signatures = (CoseSign1[])signatures.ToArray(typeof(CoseSign1));
        }
    }
}
