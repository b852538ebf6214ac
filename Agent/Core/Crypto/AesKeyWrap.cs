using System;

namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// AES Key Wrap (RFC 3394, section 2.2; COSE alg A128KW = -3). Unwrap fails closed: a wrong KEK or a
    /// modified wrapped key yields null, never a key.
    /// </summary>
    public static class AesKeyWrap
    {
        /// <summary>The default initial value A6A6A6A6A6A6A6A6 (RFC 3394, 2.2.3.1).</summary>
        private static readonly byte[] DefaultIv = new byte[] { 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6 };

        /// <summary>Wraps a key of 16..(8*n) bytes (a multiple of 8) under kek.</summary>
        public static byte[] Wrap(IAesBlock kek, byte[] key)
        {
            if (key == null || key.Length < 16 || key.Length % 8 != 0)
            {
                throw new ArgumentException("key to wrap must be a multiple of 8 bytes, at least 16");
            }

            int n = key.Length / 8;
            byte[] output = new byte[key.Length + 8];
            Array.Copy(DefaultIv, output, 8);
            Array.Copy(key, 0, output, 8, key.Length);
            byte[] block = new byte[16];
            for (int j = 0; j <= 5; j++)
            {
                for (int i = 1; i <= n; i++)
                {
                    Array.Copy(output, 0, block, 0, 8);
                    Array.Copy(output, 8 * i, block, 8, 8);
                    kek.EncryptBlock(block, 0, block, 0);
                    long t = ((long)n * j) + i;
                    for (int k = 0; k < 8; k++)
                    {
                        block[7 - k] ^= (byte)(t >> (8 * k));
                    }

                    Array.Copy(block, 0, output, 0, 8);
                    Array.Copy(block, 8, output, 8 * i, 8);
                }
            }

            return output;
        }

        /// <summary>Unwraps; returns null if the integrity check value does not match.</summary>
        public static byte[] Unwrap(IAesBlock kek, byte[] wrapped)
        {
            if (wrapped == null || wrapped.Length < 24 || wrapped.Length % 8 != 0)
            {
                return null;
            }

            int n = (wrapped.Length / 8) - 1;
            byte[] a = new byte[8];
            byte[] r = new byte[8 * n];
            Array.Copy(wrapped, 0, a, 0, 8);
            Array.Copy(wrapped, 8, r, 0, 8 * n);
            byte[] block = new byte[16];
            for (int j = 5; j >= 0; j--)
            {
                for (int i = n; i >= 1; i--)
                {
                    long t = ((long)n * j) + i;
                    Array.Copy(a, 0, block, 0, 8);
                    for (int k = 0; k < 8; k++)
                    {
                        block[7 - k] ^= (byte)(t >> (8 * k));
                    }

                    Array.Copy(r, 8 * (i - 1), block, 8, 8);
                    kek.DecryptBlock(block, 0, block, 0);
                    Array.Copy(block, 0, a, 0, 8);
                    Array.Copy(block, 8, r, 8 * (i - 1), 8);
                }
            }

            // Constant-time comparison of the integrity check value.
            int diff = 0;
            for (int k = 0; k < 8; k++)
            {
                diff |= a[k] ^ DefaultIv[k];
            }

            if (diff != 0)
            {
                Array.Clear(r, 0, r.Length);
                return null;
            }

            return r;
        }
    }
}
