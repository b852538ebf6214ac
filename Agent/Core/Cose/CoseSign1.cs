using SecureOta.Core.Cbor;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Cose
{
    /// <summary>
    /// A COSE_Sign1 with detached payload, as SUIT's authentication wrapper carries it
    /// (RFC 9052, 4.2; draft-ietf-suit-manifest, "Authenticated Manifests"): ES256 over P-256, the
    /// payload being the encoded SUIT_Digest of the manifest.
    /// </summary>
    public sealed class CoseSign1
    {
        /// <summary>The protected header exactly as encoded (it is part of what is signed).</summary>
        public byte[] ProtectedHeader { get; private set; }

        /// <summary>The algorithm named in the protected header.</summary>
        public int Algorithm { get; private set; }

        /// <summary>Key identifier from the unprotected header, or null.</summary>
        public byte[] KeyId { get; private set; }

        /// <summary>r || s, 64 bytes.</summary>
        public byte[] Signature { get; private set; }

        /// <summary>Parses a tagged COSE_Sign1 with a nil (detached) payload; throws CborException or CoseException.</summary>
        public static CoseSign1 Parse(CborReader reader)
        {
            int at = reader.Position;
            if (reader.ReadTag() != CoseLabels.TagSign1)
            {
                throw new CoseException(at, "authentication block is not a COSE_Sign1 (tag 18)");
            }

            if (reader.ReadArrayHeader() != 4)
            {
                throw new CoseException(at, "COSE_Sign1 must have 4 elements");
            }

            CoseSign1 sign1 = new CoseSign1();
            sign1.ProtectedHeader = reader.ReadByteStringCopy(64);
            sign1.Algorithm = ReadAlg(sign1.ProtectedHeader, at);

            int pairs = reader.ReadMapHeader();
            for (int i = 0; i < pairs; i++)
            {
                int label = reader.ReadInt32();
                if (label == CoseLabels.HeaderKid)
                {
                    sign1.KeyId = reader.ReadByteStringCopy(64);
                }
                else if (label == CoseLabels.HeaderAlg)
                {
                    throw new CoseException(at, "alg must be in the protected header");
                }
                else
                {
                    reader.SkipItem();
                }
            }

            if (!reader.PeekIsNull())
            {
                throw new CoseException(reader.Position, "COSE_Sign1 payload must be detached (nil)");
            }

            reader.ReadNull();
            int sigAt = reader.Position;
            sign1.Signature = reader.ReadByteStringCopy(CoseLabels.Es256SignatureLength);
            if (sign1.Signature.Length != CoseLabels.Es256SignatureLength)
            {
                throw new CoseException(sigAt, "ES256 signature must be 64 bytes");
            }

            return sign1;
        }

        /// <summary>
        /// The Sig_structure ["Signature1", protected, external_aad = h'', payload] (RFC 9052, 4.4) for a
        /// detached payload: the bytes whose SHA-256 is signed.
        /// </summary>
        public static byte[] BuildToBeSigned(byte[] protectedHeader, byte[] payload, int payloadOffset, int payloadLength)
        {
            CborWriter w = new CborWriter(64 + payloadLength);
            w.WriteArrayHeader(4);
            w.WriteTextString(CoseLabels.Signature1Context);
            w.WriteByteString(protectedHeader);
            w.WriteByteString(new byte[0]);
            w.WriteByteString(payload, payloadOffset, payloadLength);
            return w.ToArray();
        }

        /// <summary>The protected header {1: -7} (ES256) as encoded bytes: a1 01 26.</summary>
        public static byte[] Es256ProtectedHeader()
        {
            CborWriter w = new CborWriter(8);
            w.WriteMapHeader(1);
            w.WriteInt64(CoseLabels.HeaderAlg);
            w.WriteInt64(CoseLabels.AlgEs256);
            return w.ToArray();
        }

        /// <summary>Encodes a tagged COSE_Sign1 with nil payload.</summary>
        public static byte[] Encode(byte[] protectedHeader, byte[] signature)
        {
            CborWriter w = new CborWriter(96);
            w.WriteTag(CoseLabels.TagSign1);
            w.WriteArrayHeader(4);
            w.WriteByteString(protectedHeader);
            w.WriteMapHeader(0);
            w.WriteNull();
            w.WriteByteString(signature);
            return w.ToArray();
        }

        /// <summary>Verifies this signature over the detached payload with the given verifier.</summary>
        public bool Verify(ISha256 sha, IEs256Verifier verifier, byte[] payload, int payloadOffset, int payloadLength)
        {
            if (Algorithm != CoseLabels.AlgEs256 && Algorithm != CoseLabels.AlgEsp256)
            {
                return false;
            }

            byte[] toBeSigned = BuildToBeSigned(ProtectedHeader, payload, payloadOffset, payloadLength);
            byte[] digest = new byte[32];
            sha.Reset();
            sha.Update(toBeSigned, 0, toBeSigned.Length);
            sha.Finish(digest, 0);
            return verifier.VerifyDigest(digest, Signature);
        }

        private static int ReadAlg(byte[] protectedHeader, int at)
        {
            if (protectedHeader.Length == 0)
            {
                throw new CoseException(at, "COSE_Sign1 protected header is empty; alg is required");
            }

            CborReader r = new CborReader(protectedHeader, 0, protectedHeader.Length);
            int pairs = r.ReadMapHeader();
            int alg = 0;
            bool found = false;
            for (int i = 0; i < pairs; i++)
            {
                int label = r.ReadInt32();
                if (label == CoseLabels.HeaderAlg)
                {
                    alg = r.ReadInt32();
                    found = true;
                }
                else
                {
                    r.SkipItem();
                }
            }

            if (!found || !r.AtEnd)
            {
                throw new CoseException(at, "COSE_Sign1 protected header has no alg or trailing bytes");
            }

            if (alg != CoseLabels.AlgEs256 && alg != CoseLabels.AlgEsp256)
            {
                throw new CoseException(at, "unsupported signature algorithm " + alg.ToString() + " (ES256 required)");
            }

            return alg;
        }
    }
}
