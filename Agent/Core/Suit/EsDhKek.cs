using SecureOta.Core.Cbor;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// The KEK of an ECDH-ES + A128KW recipient (draft-ietf-suit-firmware-encryption-24 section 5.2,
    /// RFC 9053 sections 5.1 and 6.3): KEK = HKDF-SHA256(salt: none, IKM: Z, info: COSE_KDF_Context, L: 16)
    /// with Z the ECDH x-coordinate and
    ///   COSE_KDF_Context = [ -3 (A128KW), [null, null, null], [null, null, null],
    ///                        [128, bstr(recipient protected header), bstr "SUIT Payload Encryption"] ]
    /// (the draft's profile: no party identities, "other" = the ASCII bytes of "SUIT Payload Encryption").
    /// On the device Z comes from the chip's CalcSSec with the class key; the vendor computes it with the
    /// ephemeral private key. The draft's ES-DH example vector decrypts with exactly this (Tests/Suit.Tests).
    /// </summary>
    public static class EsDhKek
    {
        public const string OtherText = "SUIT Payload Encryption";
        public const int KekLength = 16;
        public const int KekBits = 128;

        public static byte[] KdfContext()
        {
            CborWriter w = new CborWriter(64);
            w.WriteArrayHeader(4);
            w.WriteInt64(CoseLabels.AlgA128Kw);
            for (int party = 0; party < 2; party++)
            {
                w.WriteArrayHeader(3);
                w.WriteNull();
                w.WriteNull();
                w.WriteNull();
            }

            w.WriteArrayHeader(3);
            w.WriteInt64(KekBits);
            w.WriteByteString(CoseRecipient.EcdhProtectedHeader);
            w.WriteByteString(Utf8.Encode(OtherText));
            return w.ToArray();
        }

        public static byte[] DeriveKek(ISha256 sha, byte[] sharedSecret)
        {
            if (sharedSecret == null || sharedSecret.Length != CoseRecipient.CoordinateLength)
            {
                throw new System.ArgumentException("the P-256 shared secret is 32 bytes");
            }

            return HkdfSha256.Derive(sha, null, sharedSecret, KdfContext(), KekLength);
        }
    }
}
