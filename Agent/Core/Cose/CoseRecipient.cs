namespace SecureOta.Core.Cose
{
    /// <summary>
    /// One COSE_recipient of a SUIT_Encryption_Info (draft-ietf-suit-firmware-encryption-24 section 5):
    /// either A128KW (alg -3, empty protected header; our profile: kid 'SecureOTA-UMK-1' and a KEK
    /// derivation salt, label -20) or ECDH-ES + A128KW (alg -29 in the protected header, the sender's
    /// ephemeral P-256 key in the unprotected header, label -1, RFC 9053 section 6.3). Either way the
    /// ciphertext is the content key wrapped with A128KW (24 bytes). A recipient of another algorithm
    /// is kept (Algorithm says which) so a device can skip it and use one it knows.
    /// </summary>
    public sealed class CoseRecipient
    {
        /// <summary>The protected header of an ECDH-ES + A128KW recipient: the deterministic encoding of {1: -29}.</summary>
        public static readonly byte[] EcdhProtectedHeader = new byte[] { 0xA1, 0x01, 0x38, 0x1C };

        public const int CoordinateLength = 32;

        public int Algorithm { get; set; }

        public byte[] KeyId { get; set; }

        /// <summary>A128KW recipient: the per-data-set salt of the master-secret KEK derivation, or null.</summary>
        public byte[] Salt { get; set; }

        /// <summary>ECDH-ES recipient: the sender's ephemeral P-256 public key.</summary>
        public byte[] EphemeralX { get; set; }

        public byte[] EphemeralY { get; set; }

        /// <summary>The content key wrapped with A128KW.</summary>
        public byte[] WrappedKey { get; set; }

        public bool IsKeyWrap
        {
            get { return Algorithm == CoseLabels.AlgA128Kw; }
        }

        public bool IsEcdh
        {
            get { return Algorithm == CoseLabels.AlgEcdhEsA128Kw; }
        }

        /// <summary>The ephemeral key as the chip takes a peer key: DER BIT STRING 03 42 00 04 X Y.</summary>
        public byte[] EphemeralBitString()
        {
            byte[] b = new byte[4 + (2 * CoordinateLength)];
            b[0] = 0x03;
            b[1] = 0x42;
            b[2] = 0x00;
            b[3] = 0x04;
            System.Array.Copy(EphemeralX, 0, b, 4, CoordinateLength);
            System.Array.Copy(EphemeralY, 0, b, 4 + CoordinateLength, CoordinateLength);
            return b;
        }
    }
}
