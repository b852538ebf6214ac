using System;

namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// The TLS 1.2 PRF with SHA-256 (RFC 5246, section 5): PRF(secret, label, seed) =
    /// P_SHA256(secret, label || seed), where P_SHA256 chains A(i) = HMAC(secret, A(i-1)), A(0) = seed,
    /// and outputs HMAC(secret, A(i) || label || seed). The security chip's DeriveKey implements the
    /// same function over its "derivation data" (label || seed); the vendor tool and the tests use this.
    /// </summary>
    public static class Tls12Prf
    {
        public static byte[] Derive(ISha256 sha, byte[] secret, byte[] labelAndSeed, int length)
        {
            if (labelAndSeed == null || length <= 0)
            {
                throw new ArgumentException("derivation data and a positive length are required");
            }

            HmacSha256 hmac = new HmacSha256(sha, secret);
            byte[] a = new byte[32];
            byte[] block = new byte[32];
            byte[] output = new byte[length];

            hmac.Update(labelAndSeed, 0, labelAndSeed.Length);
            hmac.Finish(a, 0);
            int produced = 0;
            while (produced < length)
            {
                hmac.Update(a, 0, 32);
                hmac.Update(labelAndSeed, 0, labelAndSeed.Length);
                hmac.Finish(block, 0);
                int take = length - produced < 32 ? length - produced : 32;
                Array.Copy(block, 0, output, produced, take);
                produced += take;
                hmac.Update(a, 0, 32);
                hmac.Finish(a, 0);
            }

            Array.Clear(block, 0, block.Length);
            Array.Clear(a, 0, a.Length);
            return output;
        }
    }
}
