using System;

namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104) over any ISha256. nanoFramework's HMACSHA256 hashes one whole buffer; the
    /// TLS PRF needs this incremental form.
    /// </summary>
    public sealed class HmacSha256
    {
        private const int BlockLength = 64;
        private readonly ISha256 _sha;
        private readonly byte[] _innerPad = new byte[BlockLength];
        private readonly byte[] _outerPad = new byte[BlockLength];
        private readonly byte[] _innerDigest = new byte[32];

        public HmacSha256(ISha256 sha, byte[] key)
        {
            if (sha == null)
            {
                throw new ArgumentNullException("sha");
            }

            if (key == null)
            {
                throw new ArgumentNullException("key");
            }

            _sha = sha;
            byte[] k = key;
            if (k.Length > BlockLength)
            {
                _sha.Reset();
                _sha.Update(key, 0, key.Length);
                k = new byte[32];
                _sha.Finish(k, 0);
            }

            for (int i = 0; i < BlockLength; i++)
            {
                byte b = i < k.Length ? k[i] : (byte)0;
                _innerPad[i] = (byte)(b ^ 0x36);
                _outerPad[i] = (byte)(b ^ 0x5C);
            }

            Start();
        }

        public void Update(byte[] data, int offset, int count)
        {
            _sha.Update(data, offset, count);
        }

        /// <summary>Writes the 32-byte MAC and starts a new message under the same key.</summary>
        public void Finish(byte[] output, int outputOffset)
        {
            _sha.Finish(_innerDigest, 0);
            _sha.Update(_outerPad, 0, BlockLength);
            _sha.Update(_innerDigest, 0, 32);
            _sha.Finish(output, outputOffset);
            Start();
        }

        private void Start()
        {
            _sha.Reset();
            _sha.Update(_innerPad, 0, BlockLength);
        }
    }
}
