using SecureOta.Core.Cbor;

namespace SecureOta.Core.Suit
{
    /// <summary>SUIT_Digest = [ algorithm-id, digest-bytes ] (manifest-37, 8.3.1); SHA-256 only.</summary>
    public static class SuitDigest
    {
        public const int Sha256Length = 32;

        /// <summary>Reads an encoded SUIT_Digest that fills buffer[offset..offset+length) exactly.</summary>
        public static byte[] Read(byte[] buffer, int offset, int length, out int algorithm)
        {
            CborReader r = new CborReader(buffer, offset, length);
            byte[] digest = ReadFrom(r, out algorithm);
            if (!r.AtEnd)
            {
                throw new SuitException(SuitError.Malformed, r.Position, "trailing bytes after SUIT_Digest");
            }

            return digest;
        }

        /// <summary>Reads a SUIT_Digest item at the reader's position.</summary>
        public static byte[] ReadFrom(CborReader r, out int algorithm)
        {
            int at = r.Position;
            int count = r.ReadArrayHeader();
            if (count < 2)
            {
                throw new SuitException(SuitError.Malformed, at, "SUIT_Digest needs an algorithm and bytes");
            }

            algorithm = r.ReadInt32();
            if (algorithm != SuitLabels.DigestSha256)
            {
                throw new SuitException(SuitError.UnsupportedAlgorithm, at, "digest algorithm " + algorithm.ToString() + " is not SHA-256 (-16)");
            }

            byte[] digest = r.ReadByteStringCopy(Sha256Length);
            if (digest.Length != Sha256Length)
            {
                throw new SuitException(SuitError.Malformed, at, "SHA-256 digest must be 32 bytes");
            }

            for (int i = 2; i < count; i++)
            {
                r.SkipItem();
            }

            return digest;
        }

        /// <summary>Encodes [ -16, digest ].</summary>
        public static byte[] Encode(byte[] sha256)
        {
            CborWriter w = new CborWriter(40);
            w.WriteArrayHeader(2);
            w.WriteInt64(SuitLabels.DigestSha256);
            w.WriteByteString(sha256);
            return w.ToArray();
        }

        /// <summary>Constant-time equality of two digests.</summary>
        public static bool AreEqual(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            int diff = 0;
            for (int i = 0; i < a.Length; i++)
            {
                diff |= a[i] ^ b[i];
            }

            return diff == 0;
        }
    }
}
