using SecureOta.Core.Cbor;

namespace SecureOta.Core.Cose
{
    /// <summary>
    /// SUIT_Encryption_Info for AES-128-CTR content encryption (draft-ietf-suit-firmware-encryption-24,
    /// sections 5 and 6): a COSE_Encrypt (tag 96) with an empty protected header, alg A128CTR and the IV
    /// in the unprotected header, a detached (nil) ciphertext, and 1..MaxRecipients COSE_recipients
    /// (CoseRecipient): A128KW (section 5.1; our profile adds the KEK derivation salt, label -20) and/or
    /// ECDH-ES + A128KW (section 5.2). Several recipients wrap the same content key, so one data set
    /// serves a fleet with both kinds of chip.
    /// </summary>
    public sealed class CoseEncryptInfo
    {
        public const int IvLength = 16;
        public const int WrappedKeyLength = 24;
        public const int MaxSaltLength = 64;
        public const int MaxRecipients = 4;

        public byte[] Iv { get; set; }

        public CoseRecipient[] Recipients { get; set; }

        /// <summary>The first recipient of an algorithm, or null.</summary>
        public CoseRecipient Find(int algorithm)
        {
            if (Recipients == null)
            {
                return null;
            }

            for (int i = 0; i < Recipients.Length; i++)
            {
                if (Recipients[i].Algorithm == algorithm)
                {
                    return Recipients[i];
                }
            }

            return null;
        }

        public static CoseEncryptInfo Parse(byte[] buffer, int offset, int length)
        {
            CborReader r = new CborReader(buffer, offset, length);
            int at = r.Position;
            if (r.ReadTag() != CoseLabels.TagEncrypt || r.ReadArrayHeader() != 4)
            {
                throw new CoseException(at, "encryption info is not a COSE_Encrypt with 4 elements");
            }

            int protectedLength;
            r.ReadByteString(out protectedLength);
            if (protectedLength != 0)
            {
                // draft-ietf-suit-firmware-encryption: with AES-CTR the protected header MUST be empty.
                throw new CoseException(at, "COSE_Encrypt protected header must be empty for AES-CTR");
            }

            CoseEncryptInfo info = new CoseEncryptInfo();
            int alg = 0;
            int pairs = r.ReadMapHeader();
            for (int i = 0; i < pairs; i++)
            {
                int label = r.ReadInt32();
                if (label == CoseLabels.HeaderAlg)
                {
                    alg = r.ReadInt32();
                }
                else if (label == CoseLabels.HeaderIv)
                {
                    info.Iv = r.ReadByteStringCopy(IvLength);
                }
                else
                {
                    r.SkipItem();
                }
            }

            if (alg != CoseLabels.AlgA128Ctr)
            {
                throw new CoseException(at, "content encryption must be A128CTR (-65534), found " + alg.ToString());
            }

            if (info.Iv == null || info.Iv.Length != IvLength)
            {
                throw new CoseException(at, "A128CTR needs a 16-byte IV");
            }

            if (!r.PeekIsNull())
            {
                throw new CoseException(r.Position, "COSE_Encrypt ciphertext must be detached (nil)");
            }

            r.ReadNull();
            int count = r.ReadArrayHeader();
            if (count < 1 || count > MaxRecipients)
            {
                throw new CoseException(at, "1.." + MaxRecipients.ToString() + " COSE_recipients are supported, found " + count.ToString());
            }

            info.Recipients = new CoseRecipient[count];
            for (int i = 0; i < count; i++)
            {
                info.Recipients[i] = ParseRecipient(r);
            }

            if (!r.AtEnd)
            {
                throw new CoseException(r.Position, "trailing bytes after COSE_Encrypt");
            }

            return info;
        }

        private static CoseRecipient ParseRecipient(CborReader r)
        {
            int at = r.Position;
            if (r.ReadArrayHeader() != 3)
            {
                throw new CoseException(at, "COSE_recipient must have 3 elements");
            }

            CoseRecipient recipient = new CoseRecipient();
            byte[] protectedHeader = r.ReadByteStringCopy(16);
            int alg = 0;
            if (protectedHeader.Length != 0)
            {
                // The only protected header we accept is ECDH-ES + A128KW's {1: -29}, deterministically encoded.
                if (!SameBytes(protectedHeader, CoseRecipient.EcdhProtectedHeader))
                {
                    throw new CoseException(at, "recipient protected header must be empty (A128KW) or {1: -29} (ECDH-ES + A128KW)");
                }

                alg = CoseLabels.AlgEcdhEsA128Kw;
            }

            int pairs = r.ReadMapHeader();
            for (int i = 0; i < pairs; i++)
            {
                int label = r.ReadInt32();
                if (label == CoseLabels.HeaderAlg)
                {
                    int unprotectedAlg = r.ReadInt32();
                    if (alg == CoseLabels.AlgEcdhEsA128Kw)
                    {
                        throw new CoseException(at, "the algorithm of an ECDH-ES recipient belongs in its protected header only");
                    }

                    alg = unprotectedAlg;
                }
                else if (label == CoseLabels.HeaderKid)
                {
                    recipient.KeyId = r.ReadByteStringCopy(64);
                }
                else if (label == CoseLabels.HeaderSalt)
                {
                    recipient.Salt = r.ReadByteStringCopy(MaxSaltLength);
                }
                else if (label == CoseLabels.HeaderEphemeralKey)
                {
                    ReadEphemeralKey(r, recipient);
                }
                else
                {
                    r.SkipItem();
                }
            }

            recipient.Algorithm = alg;
            if (alg == CoseLabels.AlgEcdhEsA128Kw && recipient.EphemeralX == null)
            {
                throw new CoseException(at, "an ECDH-ES recipient needs the sender's ephemeral key (-1)");
            }

            if (alg == CoseLabels.AlgA128Kw && protectedHeader.Length != 0)
            {
                throw new CoseException(at, "A128KW recipient protected header must be empty");
            }

            recipient.WrappedKey = r.ReadByteStringCopy(WrappedKeyLength);
            if ((recipient.IsKeyWrap || recipient.IsEcdh) && recipient.WrappedKey.Length != WrappedKeyLength)
            {
                throw new CoseException(at, "wrapped content key must be 24 bytes");
            }

            return recipient;
        }

        // COSE_Key of kty EC2, crv P-256, x and y 32 bytes each; d (a private key) is refused.
        private static void ReadEphemeralKey(CborReader r, CoseRecipient recipient)
        {
            int at = r.Position;
            int pairs = r.ReadMapHeader();
            int kty = 0, crv = 0;
            for (int i = 0; i < pairs; i++)
            {
                int label = r.ReadInt32();
                if (label == CoseLabels.KeyKty)
                {
                    kty = r.ReadInt32();
                }
                else if (label == CoseLabels.KeyCrv)
                {
                    crv = r.ReadInt32();
                }
                else if (label == CoseLabels.KeyX)
                {
                    recipient.EphemeralX = r.ReadByteStringCopy(CoseRecipient.CoordinateLength);
                }
                else if (label == CoseLabels.KeyY)
                {
                    recipient.EphemeralY = r.ReadByteStringCopy(CoseRecipient.CoordinateLength);
                }
                else
                {
                    throw new CoseException(at, "ephemeral key has an unexpected parameter " + label.ToString());
                }
            }

            if (kty != CoseLabels.KtyEc2 || crv != CoseLabels.CrvP256 || recipient.EphemeralX == null || recipient.EphemeralY == null
                || recipient.EphemeralX.Length != CoseRecipient.CoordinateLength || recipient.EphemeralY.Length != CoseRecipient.CoordinateLength)
            {
                throw new CoseException(at, "ephemeral key must be an EC2 P-256 public key with 32-byte x and y");
            }
        }

        /// <summary>Encodes the COSE_Encrypt; labels in deterministic order (RFC 8949, 4.2.1).</summary>
        public byte[] Encode()
        {
            CborWriter w = new CborWriter(256);
            w.WriteTag(CoseLabels.TagEncrypt);
            w.WriteArrayHeader(4);
            w.WriteByteString(new byte[0]);
            w.WriteMapHeader(2);
            w.WriteInt64(CoseLabels.HeaderAlg);
            w.WriteInt64(CoseLabels.AlgA128Ctr);
            w.WriteInt64(CoseLabels.HeaderIv);
            w.WriteByteString(Iv);
            w.WriteNull();
            w.WriteArrayHeader(Recipients.Length);
            for (int i = 0; i < Recipients.Length; i++)
            {
                EncodeRecipient(w, Recipients[i]);
            }

            return w.ToArray();
        }

        private static void EncodeRecipient(CborWriter w, CoseRecipient recipient)
        {
            w.WriteArrayHeader(3);
            if (recipient.IsEcdh)
            {
                // Deterministic order: kid (4) before the ephemeral key (-1); in the key 1, -1, -2, -3.
                w.WriteByteString(CoseRecipient.EcdhProtectedHeader);
                w.WriteMapHeader(recipient.KeyId != null ? 2 : 1);
                if (recipient.KeyId != null)
                {
                    w.WriteInt64(CoseLabels.HeaderKid);
                    w.WriteByteString(recipient.KeyId);
                }

                w.WriteInt64(CoseLabels.HeaderEphemeralKey);
                w.WriteMapHeader(4);
                w.WriteInt64(CoseLabels.KeyKty);
                w.WriteInt64(CoseLabels.KtyEc2);
                w.WriteInt64(CoseLabels.KeyCrv);
                w.WriteInt64(CoseLabels.CrvP256);
                w.WriteInt64(CoseLabels.KeyX);
                w.WriteByteString(recipient.EphemeralX);
                w.WriteInt64(CoseLabels.KeyY);
                w.WriteByteString(recipient.EphemeralY);
            }
            else
            {
                w.WriteByteString(new byte[0]);
                int pairs = 1 + (recipient.KeyId != null ? 1 : 0) + (recipient.Salt != null ? 1 : 0);
                w.WriteMapHeader(pairs);
                w.WriteInt64(CoseLabels.HeaderAlg);
                w.WriteInt64(recipient.Algorithm);
                if (recipient.KeyId != null)
                {
                    w.WriteInt64(CoseLabels.HeaderKid);
                    w.WriteByteString(recipient.KeyId);
                }

                if (recipient.Salt != null)
                {
                    w.WriteInt64(CoseLabels.HeaderSalt);
                    w.WriteByteString(recipient.Salt);
                }
            }

            w.WriteByteString(recipient.WrappedKey);
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
