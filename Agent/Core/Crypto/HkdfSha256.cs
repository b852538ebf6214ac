using System;

namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// HKDF with HMAC-SHA256 (RFC 5869): extract (salt, IKM) then expand (info, L). The ES-DH recipient's
    /// key derivation (RFC 9053 section 6.3, HKDF-SHA-256 for ECDH-ES + A128KW) runs it on the device over
    /// the shared secret its chip computed; nanoFramework has no HKDF.
    /// </summary>
    public static class HkdfSha256
    {
        public const int HashLength = 32;

        /// <summary>OKM of length bytes (1..255 * 32). A null or empty salt means HashLength zero bytes (RFC 5869 section 2.2).</summary>
        public static byte[] Derive(ISha256 sha, byte[] salt, byte[] ikm, byte[] info, int length)
        {
            if (ikm == null || info == null)
            {
                throw new ArgumentNullException("ikm");
            }

            if (length < 1 || length > 255 * HashLength)
            {
                throw new ArgumentOutOfRangeException("length", "HKDF output is 1..8160 bytes");
            }

            byte[] prk = new byte[HashLength];
            HmacSha256 extract = new HmacSha256(sha, salt == null || salt.Length == 0 ? new byte[HashLength] : salt);
            extract.Update(ikm, 0, ikm.Length);
            extract.Finish(prk, 0);

            byte[] okm = new byte[length];
            byte[] t = new byte[HashLength];
            byte[] counter = new byte[1];
            int written = 0;
            for (int i = 1; written < length; i++)
            {
                HmacSha256 expand = new HmacSha256(sha, prk);
                if (i > 1)
                {
                    expand.Update(t, 0, HashLength);
                }

                expand.Update(info, 0, info.Length);
                counter[0] = (byte)i;
                expand.Update(counter, 0, 1);
                expand.Finish(t, 0);
                int n = length - written < HashLength ? length - written : HashLength;
                Array.Copy(t, 0, okm, written, n);
                written += n;
            }

            Array.Clear(prk, 0, prk.Length);
            Array.Clear(t, 0, t.Length);
            return okm;
        }
    }
}
