using SecureOta.Core.Cbor;

namespace SecureOta.Core.Cose
{
    /// <summary>
    /// SUIT_Encryption_Info for the AES-KW + AES-CTR profile of draft-ietf-suit-firmware-encryption
    /// (section "AES Key Wrap"): a COSE_Encrypt (tag 96) with an empty protected header, alg A128CTR and
    /// the IV in the unprotected header, a detached (nil) ciphertext, and one recipient whose A128KW
    /// ciphertext is the wrapped content-encryption key. Our profile adds the KEK derivation salt to
    /// the recipient's unprotected header (label -20, "salt").
    /// </summary>
    public sealed class CoseEncryptInfo
    {
        public const int IvLength = 16;
        public const int WrappedKeyLength = 24;
        public const int MaxSaltLength = 64;

        public byte[] Iv { get; set; }

        public byte[] KeyId { get; set; }

        /// <summary>Per-data-set random value for the KEK derivation, or null (then the KEK is used as is).</summary>
        public byte[] Salt { get; set; }

        /// <summary>The content key wrapped with A128KW (24 bytes for a 16-byte key).</summary>
        public byte[] WrappedKey { get; set; }

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
            if (r.ReadArrayHeader() != 1)
            {
                throw new CoseException(at, "exactly one COSE_recipient is supported");
            }

            if (r.ReadArrayHeader() != 3)
            {
                throw new CoseException(at, "COSE_recipient must have 3 elements");
            }

            r.ReadByteString(out protectedLength);
            if (protectedLength != 0)
            {
                throw new CoseException(at, "A128KW recipient protected header must be empty");
            }

            int kwAlg = 0;
            pairs = r.ReadMapHeader();
            for (int i = 0; i < pairs; i++)
            {
                int label = r.ReadInt32();
                if (label == CoseLabels.HeaderAlg)
                {
                    kwAlg = r.ReadInt32();
                }
                else if (label == CoseLabels.HeaderKid)
                {
                    info.KeyId = r.ReadByteStringCopy(64);
                }
                else if (label == CoseLabels.HeaderSalt)
                {
                    info.Salt = r.ReadByteStringCopy(MaxSaltLength);
                }
                else
                {
                    r.SkipItem();
                }
            }

            if (kwAlg != CoseLabels.AlgA128Kw)
            {
                throw new CoseException(at, "key distribution must be A128KW (-3), found " + kwAlg.ToString());
            }

            info.WrappedKey = r.ReadByteStringCopy(WrappedKeyLength);
            if (info.WrappedKey.Length != WrappedKeyLength)
            {
                throw new CoseException(at, "wrapped content key must be 24 bytes");
            }

            if (!r.AtEnd)
            {
                throw new CoseException(r.Position, "trailing bytes after COSE_Encrypt");
            }

            return info;
        }

        /// <summary>Encodes the COSE_Encrypt; labels in deterministic order (RFC 8949, 4.2.1).</summary>
        public byte[] Encode()
        {
            CborWriter w = new CborWriter(128);
            w.WriteTag(CoseLabels.TagEncrypt);
            w.WriteArrayHeader(4);
            w.WriteByteString(new byte[0]);
            w.WriteMapHeader(2);
            w.WriteInt64(CoseLabels.HeaderAlg);
            w.WriteInt64(CoseLabels.AlgA128Ctr);
            w.WriteInt64(CoseLabels.HeaderIv);
            w.WriteByteString(Iv);
            w.WriteNull();
            w.WriteArrayHeader(1);
            w.WriteArrayHeader(3);
            w.WriteByteString(new byte[0]);
            int pairs = 1 + (KeyId != null ? 1 : 0) + (Salt != null ? 1 : 0);
            w.WriteMapHeader(pairs);
            w.WriteInt64(CoseLabels.HeaderAlg);
            w.WriteInt64(CoseLabels.AlgA128Kw);
            if (KeyId != null)
            {
                w.WriteInt64(CoseLabels.HeaderKid);
                w.WriteByteString(KeyId);
            }

            if (Salt != null)
            {
                w.WriteInt64(CoseLabels.HeaderSalt);
                w.WriteByteString(Salt);
            }

            w.WriteByteString(WrappedKey);
            return w.ToArray();
        }
    }
}
