namespace SecureOta.Core.Cose
{
    /// <summary>
    /// ECDSA P-256 signatures (r || s, 64 bytes) in low-S form: for a signature (r, s), (r, n - s) verifies
    /// as well, so a data set would have two valid encodings. The profile (docs/data-set-format.md,
    /// "Canonical form") allows only s &lt;= n/2; builders normalize, every reader refuses a high s.
    /// n is the P-256 group order (SEC 2 v2, 2.4.2). Byte arithmetic only: no BigInteger on nanoFramework.
    /// </summary>
    public static class Es256Signature
    {
        public const int Length = 64;

        // n, big-endian.
        private static readonly byte[] Order =
        {
            0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
        };

        // floor(n / 2), big-endian.
        private static readonly byte[] HalfOrder =
        {
            0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B, 0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8,
        };

        /// <summary>True if the signature is 64 bytes and its s is at most n/2.</summary>
        public static bool IsLowS(byte[] signature)
        {
            if (signature == null || signature.Length != Length)
            {
                return false;
            }

            for (int i = 0; i < 32; i++)
            {
                int s = signature[32 + i];
                if (s != HalfOrder[i])
                {
                    return s < HalfOrder[i];
                }
            }

            return true;
        }

        /// <summary>The same signature with s replaced by n - s when s is above n/2 (a copy).</summary>
        public static byte[] ToLowS(byte[] signature)
        {
            if (signature == null || signature.Length != Length)
            {
                throw new System.ArgumentException("an ES256 signature is 64 bytes (r || s)");
            }

            return IsLowS(signature) ? (byte[])signature.Clone() : WithNegatedS(signature);
        }

        /// <summary>The other signature that verifies the same: (r, n - s), a copy (0 &lt; s &lt; n assumed).</summary>
        public static byte[] WithNegatedS(byte[] signature)
        {
            if (signature == null || signature.Length != Length)
            {
                throw new System.ArgumentException("an ES256 signature is 64 bytes (r || s)");
            }

            byte[] result = (byte[])signature.Clone();
            int borrow = 0;
            for (int i = 31; i >= 0; i--)
            {
                int d = Order[i] - signature[32 + i] - borrow;
                borrow = d < 0 ? 1 : 0;
                result[32 + i] = (byte)(d + (borrow << 8));
            }

            return result;
        }
    }
}
